import { describe, expect, it } from "vitest";
import { UsageError } from "../src/index.js";
import { completeLine, completeListOption } from "../src/shell/complete.js";
import { commandOfMethod, discoverCommands, methodOf, normalizeCommand } from "../src/shell/names.js";
import { quoteWord, tokenize } from "../src/shell/tokenize.js";

describe("command names", () => {
  it("maps cmd… methods to dashed commands", () => {
    expect(commandOfMethod("cmdListTasks")).toBe("list-tasks");
    expect(commandOfMethod("cmdQ")).toBe("q");
    expect(commandOfMethod("cmdHTTPGet")).toBe("http-get");
    expect(commandOfMethod("cmdRun2")).toBe("run2");
    expect(commandOfMethod("cmd")).toBeUndefined();
    expect(commandOfMethod("cmdlower")).toBeUndefined();
    expect(commandOfMethod("commandNames")).toBeUndefined();
  });

  it("treats dashes, underscores and camel case alike", () => {
    for (const typed of ["execute-one", "execute_one", "executeOne", "Execute_One"]) expect(normalizeCommand(typed)).toBe("execute-one");
    expect(methodOf("help", "execute-one")).toBe("helpExecuteOne");
  });

  it("discovers commands along the prototype chain, including instance fields", () => {
    class Base {
      cmdOne() {}
      other() {}
    }
    class Child extends Base {
      cmdTwoWords() {}
      cmdField = () => {};
    }
    expect(discoverCommands(new Child())).toEqual(["field", "one", "two-words"]);
  });
});

describe("tokenize", () => {
  it("splits on whitespace and keeps quoted words together", () => {
    expect(tokenize("  peek   Sum ")).toEqual(["peek", "Sum"]);
    expect(tokenize(`peek "Task One" 'it''s' a\\ b ""`)).toEqual(["peek", "Task One", "its", "a b", ""]);
    expect(tokenize(`x "say \\"hi\\""`)).toEqual(["x", 'say "hi"']);
  });

  it("rejects an unterminated quote", () => {
    expect(() => tokenize(`peek 'Sum`)).toThrow(UsageError);
    expect(() => tokenize(`peek 'Sum`)).toThrow("the single quote is not closed");
  });

  it("quotes words that need it, so they tokenize back", () => {
    for (const word of ["Sum", "Task One", 'say "hi"', "back\\slash"]) expect(tokenize(`x ${quoteWord(word)}`)).toEqual(["x", word]);
  });
});

describe("completion", () => {
  const source = {
    commandNames: () => ["execute", "execute-one", "exit", "help", "peek"],
    completeArgs: (command: string, args: readonly string[], partial: string) =>
      command === "peek" && args.length === 0 ? ["Sum", "TaskOne", "TaskTwo"] : completeListOption(partial, "skip", ["Sum", "TaskOne"]),
  };

  it("completes the first word to commands", () => {
    expect(completeLine("ex", source)).toEqual([["execute", "execute-one", "exit"], "ex"]);
    expect(completeLine("he", source)).toEqual([["help"], "he"]);
    expect(completeLine("", source)[0]).toHaveLength(5);
  });

  it("completes later words through the command", () => {
    expect(completeLine("peek Ta", source)).toEqual([["TaskOne", "TaskTwo"], "Ta"]);
    expect(completeLine("Peek S", source)).toEqual([["Sum"], "S"]);
    expect(completeLine("peek Sum T", source)).toEqual([[], "T"]);
  });

  it("completes the names inside a --option=A,B list", () => {
    expect(completeLine("execute --skip=Sum,Ta", source)).toEqual([["--skip=Sum,TaskOne"], "--skip=Sum,Ta"]);
  });
});
