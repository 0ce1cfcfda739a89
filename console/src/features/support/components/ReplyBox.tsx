import { SendOutlined } from "@ant-design/icons";
import { App, Button, Checkbox, Flex, Form, Input } from "antd";
import { useTranslation } from "react-i18next";

import { type Ticket, useReply } from "../api/tickets";
import { usePlaceErrors } from "../lib/hooks";

interface Values {
  body: string;
  internal: boolean;
}

/** The agent's reply (or internal note). Keyboard: Tab into the text, type, Tab to the
 * note switch and the send button, Enter or Space sends. */
export function ReplyBox({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("support");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const reply = useReply(ticket.id);
  const placeErrors = usePlaceErrors();

  const submit = async (values: Values) => {
    try {
      await reply.mutateAsync({
        body: values.body,
        visibility: values.internal ? "internal" : "public",
        attachment_ids: [],
      });
      form.resetFields();
      void message.success(t(values.internal ? "reply.noteAdded" : "reply.sent"));
    } catch (error) {
      const text = placeErrors(form, error);
      if (text) void message.error(text);
    }
  };

  return (
    <div>
      <Form<Values>
        form={form}
        name="reply"
        layout="vertical"
        initialValues={{ body: "", internal: false }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="body"
          label={t("reply.label")}
          rules={[{ required: true, whitespace: true, message: t("reply.required") }]}
        >
          <Input.TextArea rows={4} maxLength={20000} placeholder={t("reply.placeholder")} />
        </Form.Item>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Form.Item name="internal" valuePropName="checked" noStyle>
            <Checkbox>{t("reply.internal")}</Checkbox>
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<SendOutlined />}
            loading={reply.isPending}
          >
            {t("reply.send")}
          </Button>
        </Flex>
      </Form>
    </div>
  );
}
