/** Pickers of a saved segment or template, by name. */
import { Select, type SelectProps } from "antd";
import { useTranslation } from "react-i18next";

import { useSegments } from "../api/segments";
import { useTemplates } from "../api/templates";

type PickProps = Omit<SelectProps<string>, "options" | "loading">;

export function SegmentSelect(props: PickProps) {
  const { t } = useTranslation("marketing");
  const { data, isLoading } = useSegments({ offset: 0, limit: 200 });
  return (
    <Select<string>
      showSearch={{ optionFilterProp: "label" }}
      allowClear
      placeholder={t("campaign.chooseSegment")}
      loading={isLoading}
      options={(data?.items ?? []).map((segment) => ({ value: segment.id, label: segment.name }))}
      {...props}
    />
  );
}

export function TemplateSelect(props: PickProps) {
  const { t } = useTranslation("marketing");
  const { data, isLoading } = useTemplates({ offset: 0, limit: 200 });
  return (
    <Select<string>
      showSearch={{ optionFilterProp: "label" }}
      allowClear
      placeholder={t("campaign.chooseTemplate")}
      loading={isLoading}
      options={(data?.items ?? []).map((template) => ({
        value: template.id,
        label: template.name,
      }))}
      {...props}
    />
  );
}
