import { createInstance, type TFunction } from "i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";

import commonEn from "@/locales/en/common.json";
import commonZh from "@/locales/zh-CN/common.json";

import {
  ApiError,
  errorText,
  fieldProblemText,
  problemDetail,
  problemText,
  showFieldErrors,
} from "./problem";

const BASE = "https://crm.example.org/problems/";
let zh: TFunction;
let en: TFunction;

beforeAll(async () => {
  const translator = (lng: string) => {
    const instance = createInstance();
    void instance.init({
      lng,
      resources: { "zh-CN": { common: commonZh }, en: { common: commonEn } },
      defaultNS: "common",
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    return instance.t;
  };
  zh = translator("zh-CN");
  en = translator("en");
});

const conflict = new ApiError(409, {
  type: `${BASE}conflict`,
  title: "Conflicts with the current state",
  status: 409,
  detail: "The opportunity is already closed.",
});

describe("problemText", () => {
  it("names the problem in the person's language by its type", () => {
    expect(problemText(zh, conflict)).toBe("与该记录的当前状态冲突，没有作出更改。");
    expect(problemText(en, conflict)).toBe(
      "This conflicts with the record's current state; nothing was changed.",
    );
    const changed = new ApiError(412, { type: `${BASE}precondition-failed`, title: "Changed" });
    expect(problemText(zh, changed)).toBe("该记录已被他人修改，现显示最新版本。");
    const limited = new ApiError(429, { type: `${BASE}rate-limited`, title: "Too many" });
    expect(problemText(zh, limited)).toBe("操作过于频繁，请稍后再试。");
  });

  it("falls back to the status when the type is not one it knows", () => {
    expect(problemText(zh, new ApiError(403, { title: "You are not allowed to do this" }))).toBe(
      "您的角色无权执行此操作。",
    );
    expect(problemText(zh, new ApiError(503, {}))).toBe(
      "服务暂时不可用，您输入的内容已保留，请稍后重试。",
    );
    expect(problemText(zh, new ApiError(500, {}))).toBe("服务器出错，您输入的内容已保留，请重试。");
    expect(problemText(en, new ApiError(0, {}))).toBe(commonEn.errors.network);
    expect(problemText(en, new TypeError("Failed to fetch"))).toBe(commonEn.errors.server);
  });
});

describe("problemDetail and errorText", () => {
  it("add the server's specific words second, in brackets", () => {
    expect(problemDetail(conflict)).toBe("The opportunity is already closed.");
    expect(errorText(zh, conflict)).toBe(
      "与该记录的当前状态冲突，没有作出更改。（The opportunity is already closed.）",
    );
  });

  it("leave out words that only restate the kind, and a server fault's", () => {
    const invalid = new ApiError(422, {
      type: `${BASE}validation-error`,
      title: "Your request is not valid",
      detail: "One or more fields are invalid.",
    });
    expect(errorText(zh, invalid)).toBe("部分字段需要修改。");
    const missing = new ApiError(404, { title: "Not found", detail: "customer c-1 not found" });
    expect(errorText(zh, missing)).toBe("该记录不存在或您无权查看。");
    const fault = new ApiError(500, { title: "Internal error", detail: "it has been logged." });
    expect(problemDetail(fault)).toBeUndefined();
  });
});

describe("fieldProblemText", () => {
  it("says what Pydantic's checks mean, with their limits", () => {
    const text = (type: string, reason: string) =>
      fieldProblemText({ field: "body.x", type, reason }, zh);
    expect(text("missing", "Field required")).toBe("必填。");
    expect(text("string_too_short", "String should have at least 3 characters")).toBe(
      "至少 3 个字符。",
    );
    expect(text("string_too_short", "String should have at least 1 character")).toBe("不能为空。");
    expect(text("string_too_long", "String should have at most 200 characters")).toBe(
      "最多 200 个字符。",
    );
    expect(text("greater_than", "Input should be greater than 0")).toBe("必须大于 0。");
    expect(text("enum", "Input should be 'a', 'b' or 'c'")).toBe("请从给定的选项中选择。");
    expect(text("decimal_parsing", "Input should be a valid decimal")).toBe("请输入数字。");
    expect(text("date_from_datetime_parsing", "Input should be a valid date")).toBe(
      "请输入有效的日期。",
    );
  });

  it("gives our own rules a category, with the server's reason second", () => {
    expect(
      fieldProblemText(
        {
          field: "body.phone",
          type: "value_error",
          reason: "Value error, must be a mainland mobile number (1[3-9] and 9 digits)",
        },
        zh,
      ),
    ).toBe("此项填写有误（must be a mainland mobile number (1[3-9] and 9 digits)）。");
    expect(
      fieldProblemText({ field: "body.email", reason: "already used by another customer" }, zh),
    ).toBe("已被使用（already used by another customer）。");
    expect(fieldProblemText({ field: "body.client_id", reason: "unknown client" }, en)).toBe(
      "Does not exist (unknown client).",
    );
    expect(
      fieldProblemText(
        {
          field: "body.email",
          type: "value_error",
          reason: "value is not a valid email address: An email address must have an @-sign.",
        },
        en,
      ),
    ).toBe(
      "Enter a valid e-mail address (value is not a valid email address: An email address must have an @-sign.).",
    );
  });

  it("has every key in both languages", () => {
    expect(Object.keys(commonEn.fieldErrors).sort()).toEqual(
      Object.keys(commonZh.fieldErrors).sort(),
    );
    expect(Object.keys(commonEn.errors).sort()).toEqual(Object.keys(commonZh.errors).sort());
  });
});

describe("showFieldErrors", () => {
  it("puts each error beside its field in the person's language", () => {
    const form = { getFieldsValue: () => ({ name: "", phone: "" }), setFields: vi.fn() };
    const error = new ApiError(422, {
      errors: [
        { field: "body.name", type: "missing", reason: "Field required" },
        { field: "body.owner", reason: "unknown owner" },
      ],
    });
    const unplaced = showFieldErrors(form as never, error, zh);
    expect(form.setFields).toHaveBeenCalledWith([{ name: ["name"], errors: ["必填。"] }]);
    expect(unplaced).toEqual([{ field: "body.owner", reason: "不存在（unknown owner）。" }]);
  });
});
