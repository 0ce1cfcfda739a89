import { Tag } from "antd";
import { useTranslation } from "react-i18next";

const KNOWN = ["high value", "loyal", "new", "at risk", "price sensitive"];

/** The value segments the API derives from RFM (C-6), in the reader's language. */
export function SegmentTags({ segments }: { segments: string[] }) {
  const { t } = useTranslation("customers");
  return (
    <>
      {segments.map((segment) => (
        <Tag key={segment} color={segment === "at risk" ? "red" : "geekblue"}>
          {KNOWN.includes(segment) ? t(`segment.${segment.replace(" ", "_")}`) : segment}
        </Tag>
      ))}
    </>
  );
}
