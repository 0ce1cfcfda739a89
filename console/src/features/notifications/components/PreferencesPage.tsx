/** How the person is told: the language of their notifications, their time zone, quiet
 * hours (mail waits until they end), a daily digest, and per kind by which channels. */
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Select,
  Skeleton,
  Switch,
  TimePicker,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText, formProblem } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

import { type Preferences, usePreferences, useSavePreferences } from "../api/preferences";
import { kindsFor } from "../lib/kinds";
import { type PreferencesValues, timeZones, toDocument, toValues } from "../lib/preferencesForm";
import { ChannelMatrix } from "./ChannelMatrix";

const LANGUAGES: Preferences["language"][] = ["zh-CN", "en"];
const CLOCK = "HH:mm";

function PreferencesForm({ preferences }: { preferences: Preferences }) {
  const { t } = useTranslation(["notifications", "common"]);
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<PreferencesValues>();
  const save = useSavePreferences();
  const [problem, setProblem] = useState<string | null>(null);
  const quietEnabled = Form.useWatch("quiet_enabled", form) ?? preferences.quiet_hours !== null;
  const digestEnabled = Form.useWatch(["digest", "enabled"], form) ?? preferences.digest.enabled;
  const zones = useMemo(() => timeZones(preferences.time_zone), [preferences.time_zone]);
  const kinds = useMemo(() => kindsFor(can), [can]);

  const submit = async (values: PreferencesValues) => {
    setProblem(null);
    try {
      await save.mutateAsync(toDocument(values));
      void message.success(t("preferences.saved"));
    } catch (error) {
      setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Form<PreferencesValues>
      form={form}
      layout="vertical"
      initialValues={toValues(preferences)}
      onFinish={(values) => void submit(values)}
      style={{ maxWidth: 720 }}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Card title={t("preferences.general")} style={{ marginBottom: 16 }}>
        <Form.Item
          name="language"
          label={t("preferences.language")}
          extra={t("preferences.languageHelp")}
        >
          <Select
            options={LANGUAGES.map((language) => ({
              value: language,
              label: t(`languages.${language}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="time_zone" label={t("preferences.timeZone")}>
          <Select showSearch options={zones.map((zone) => ({ value: zone, label: zone }))} />
        </Form.Item>
      </Card>
      <Card title={t("preferences.quietHours")} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t("preferences.quietHelp")}</Typography.Paragraph>
        <Form.Item
          name="quiet_enabled"
          label={t("preferences.quietEnabled")}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        {quietEnabled && (
          <Flex gap={16} wrap>
            <Form.Item
              name={["quiet_hours", "start"]}
              label={t("preferences.quietStart")}
              rules={[{ required: true, message: t("preferences.required") }]}
            >
              <TimePicker format={CLOCK} minuteStep={5} needConfirm={false} />
            </Form.Item>
            <Form.Item
              name={["quiet_hours", "end"]}
              label={t("preferences.quietEnd")}
              dependencies={[["quiet_hours", "start"]]}
              rules={[
                { required: true, message: t("preferences.required") },
                ({ getFieldValue }) => ({
                  validator: async (_, end?: { format: (f: string) => string } | null) => {
                    const start = getFieldValue(["quiet_hours", "start"]) as typeof end;
                    if (start && end && start.format(CLOCK) === end.format(CLOCK)) {
                      throw new Error(t("preferences.quietSame"));
                    }
                  },
                }),
              ]}
            >
              <TimePicker format={CLOCK} minuteStep={5} needConfirm={false} />
            </Form.Item>
          </Flex>
        )}
      </Card>
      <Card title={t("preferences.digest")} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t("preferences.digestHelp")}</Typography.Paragraph>
        <Flex gap={16} wrap align="flex-start">
          <Form.Item
            name={["digest", "enabled"]}
            label={t("preferences.digestEnabled")}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          {digestEnabled && (
            <Form.Item
              name={["digest", "at"]}
              label={t("preferences.digestAt")}
              rules={[{ required: true, message: t("preferences.required") }]}
            >
              <TimePicker format={CLOCK} minuteStep={5} needConfirm={false} />
            </Form.Item>
          )}
        </Flex>
      </Card>
      <Card title={t("preferences.channels")} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          {t("preferences.channelsHelp")}
        </Typography.Paragraph>
        <Form.Item name="channels" noStyle>
          <ChannelMatrix kinds={kinds} />
        </Form.Item>
      </Card>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t("actions.save", { ns: "common" })}
      </Button>
    </Form>
  );
}

export function PreferencesPage() {
  const { t } = useTranslation(["notifications", "common"]);
  const preferences = usePreferences();
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("preferences.title")}
      </Typography.Title>
      {preferences.isPending ? (
        <Skeleton active />
      ) : preferences.error || !preferences.data ? (
        <Alert type="error" showIcon title={errorText(t, preferences.error)} />
      ) : (
        <PreferencesForm preferences={preferences.data} />
      )}
    </Flex>
  );
}
