/** A sales document's customer: its name from the API, linking to the customer's page; when
 * sales no longer knows the name (an erased customer, or one not heard of yet) a label saying
 * so, not the raw id. */
import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

interface Props {
  customerId: string;
  name: string | null | undefined;
}

export function CustomerLink({ customerId, name }: Props) {
  const { t } = useTranslation("sales");
  if (!name) return <Typography.Text type="secondary">{t("customer.unnamed")}</Typography.Text>;
  return <Link to={`/customers/${customerId}`}>{name}</Link>;
}
