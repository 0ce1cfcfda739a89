/** A task's due time: typed in any common form, or a day picked on a small calendar (at
 * 09:00 unless a time was typed). What was typed is kept as typed until it reads as a time;
 * then leaving the field (or Enter) shows it in one form, so what is saved is what is seen. */
import { CalendarOutlined } from "@ant-design/icons";
import { Button, Calendar, Input, Popover, Space } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { DUE_AT_PATTERN, pickDay, readDueAt, showDueAt } from "../lib/dueAt";

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  onBlur?: () => void;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export function DueAtField({ id, value = "", onChange, onBlur, ...aria }: Props) {
  const { t } = useTranslation("sales");
  const [picking, setPicking] = useState(false);
  const reading = readDueAt(value);

  const settle = () => {
    if (reading.kind === "time") {
      const shown = showDueAt(reading.at);
      if (shown !== value) onChange?.(shown);
    }
    onBlur?.();
  };

  const calendar = (
    <div style={{ width: 300 }}>
      <Calendar
        fullscreen={false}
        value={reading.kind === "time" ? dayjs(reading.at) : undefined}
        onSelect={(day, { source }) => {
          if (source !== "date") return;
          onChange?.(pickDay(day.year(), day.month() + 1, day.date(), value));
          setPicking(false);
        }}
      />
    </div>
  );

  return (
    <Space.Compact style={{ width: "100%" }}>
      <Input
        id={id}
        value={value}
        placeholder={DUE_AT_PATTERN}
        autoComplete="off"
        allowClear
        onChange={(event) => onChange?.(event.target.value)}
        onBlur={settle}
        onPressEnter={(event) => {
          event.preventDefault();
          settle();
        }}
        {...aria}
      />
      <Popover
        content={calendar}
        trigger="click"
        open={picking}
        onOpenChange={setPicking}
        placement="bottomRight"
      >
        <Button icon={<CalendarOutlined />} aria-label={t("tasks.pickDay")} />
      </Popover>
    </Space.Compact>
  );
}
