import pc from "picocolors";

/** picocolors' colour functions; all identity when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colour functions, on or off. */
export function colorsFor(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
