/** A ticket's attachments (support service): list, upload, download. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";
import { fileNameOf, saveBlob } from "@/lib/download";

export type Attachment = Schemas["AttachmentMeta"];

/** The types the support service keeps (its default settings); others are refused. */
export const ACCEPTED_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/zip",
];

const attachmentKeys = { of: (ticketId: string) => ["support", "attachments", ticketId] as const };

export function useAttachments(ticketId: string) {
  return useQuery({
    queryKey: attachmentKeys.of(ticketId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tickets/{ticket_id}/attachments", {
          params: { path: { ticket_id: ticketId } },
        }),
      ),
  });
}

export function useUploadAttachment(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return unwrap(
        await api.POST("/api/v1/tickets/{ticket_id}/attachments", {
          params: { path: { ticket_id: ticketId } },
          // multipart: the browser sets the boundary; the typed body is the form's shape
          body: form as unknown as { file: string },
        }),
      );
    },
    onSuccess: (attachment) =>
      client.setQueryData<Attachment[]>(attachmentKeys.of(ticketId), (list) => [
        ...(list ?? []),
        attachment,
      ]),
  });
}

export async function downloadAttachment(attachment: Attachment): Promise<void> {
  const result = await api.GET("/api/v1/tickets/{ticket_id}/attachments/{attachment_id}", {
    params: { path: { ticket_id: attachment.ticket_id, attachment_id: attachment.id } },
    parseAs: "blob",
  });
  const blob = unwrap(result) as unknown as Blob;
  saveBlob(blob, fileNameOf(result.response, attachment.filename));
}
