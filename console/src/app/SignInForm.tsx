import { LockOutlined, MailOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { signIn, SignInError } from "@/lib/auth/session";

interface Props {
  email?: string;
  onSignedIn?: () => void;
}

/** E-mail and password; used by the sign-in page and by the dialog that opens when a
 * session runs out in the middle of work. */
export function SignInForm({ email, onSignedIn }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { email: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.email.trim(), values.password);
      onSignedIn?.();
    } catch (problem) {
      if (problem instanceof SignInError && problem.status === 429) {
        setError(t("signIn.tooMany", { seconds: problem.retryAfterSeconds ?? 60 }));
      } else if (problem instanceof SignInError && problem.status === 400) {
        setError(t("signIn.wrong"));
      } else {
        setError(t("errors.network"));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form
      layout="vertical"
      requiredMark={false}
      initialValues={{ email }}
      onFinish={(values: { email: string; password: string }) => void submit(values)}
    >
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form.Item
        name="email"
        label={t("signIn.email")}
        rules={[{ required: true, type: "email", message: t("signIn.emailRequired") }]}
      >
        <Input
          prefix={<MailOutlined />}
          autoComplete="username"
          inputMode="email"
          autoFocus={!email}
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t("signIn.password")}
        rules={[{ required: true, message: t("signIn.passwordRequired") }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          autoFocus={!!email}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t("signIn.submit")}
      </Button>
    </Form>
  );
}
