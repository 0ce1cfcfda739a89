/** Weekly report e-mails: the list, a new one, send now, delete. */
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Flex, Popconfirm, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import {
  type Schedule,
  useDeleteSchedule,
  useSchedules,
  useSendScheduleNow,
} from "../api/schedules";
import { QueryBoundary } from "./QueryBoundary";
import { ScheduleForm } from "./ScheduleForm";

export function SchedulesTab() {
  const { t } = useTranslation(["analytics", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const schedules = useSchedules();
  const remove = useDeleteSchedule();
  const send = useSendScheduleNow();
  const [creating, setCreating] = useState(false);

  const failed = (error: unknown) => message.error(errorText(t, error));

  return (
    <Flex vertical gap={12}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        style={{ alignSelf: "flex-start" }}
        onClick={() => setCreating(true)}
      >
        {t("schedules.new")}
      </Button>
      <QueryBoundary query={schedules}>
        {(page) => (
          <Table<Schedule>
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: true }}
            dataSource={page.items}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("schedules.empty")}</Typography.Text>,
            }}
            columns={[
              { title: t("schedules.name"), dataIndex: "name" },
              {
                title: t("schedules.report"),
                dataIndex: "report",
                render: (report: string) => t(`reports.${report}`),
              },
              {
                title: t("schedules.format"),
                dataIndex: "format",
                render: (value: string) => value.toUpperCase(),
              },
              {
                title: t("schedules.recipients"),
                dataIndex: "recipients",
                render: (list: string[]) => list.join(", "),
              },
              {
                title: t("schedules.when"),
                key: "when",
                render: (_, row) =>
                  t("schedules.weekly", { day: t(`weekdays.${row.weekday}`), hour: row.hour }),
              },
              {
                title: t("schedules.next"),
                dataIndex: "next_run_at",
                render: (value: string) => format.dateTime(value),
              },
              {
                title: t("schedules.last"),
                dataIndex: "last_sent_at",
                render: (value: string | null) => format.dateTime(value),
              },
              {
                title: t("schedules.actions"),
                key: "actions",
                render: (_, row) => (
                  <Space>
                    <Button
                      size="small"
                      loading={send.isPending && send.variables?.id === row.id}
                      onClick={() =>
                        send.mutate(row, {
                          onSuccess: () => message.success(t("schedules.sent")),
                          onError: failed,
                        })
                      }
                    >
                      {t("schedules.sendNow")}
                    </Button>
                    <Popconfirm
                      title={t("schedules.confirmDelete", { name: row.name })}
                      okText={t("actions.delete", { ns: "common" })}
                      cancelText={t("actions.cancel", { ns: "common" })}
                      onConfirm={() => remove.mutate(row, { onError: failed })}
                    >
                      <Button size="small" danger>
                        {t("actions.delete", { ns: "common" })}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </QueryBoundary>
      <ScheduleForm open={creating} onClose={() => setCreating(false)} />
    </Flex>
  );
}
