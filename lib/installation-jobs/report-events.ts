/** Maps a device's status-report messageID to a status-model event (status-model.md table). */
import type { JobEvent } from "./status-model";

export function eventForMessageId(messageId: string, deviceTime: Date | null): JobEvent {
  switch (messageId.trim()) {
    case "11030":
      return { type: "DOWNLOAD_STARTED", deviceTime };
    case "11031":
      return { type: "DOWNLOAD_SUCCEEDED", deviceTime };
    case "11032":
      return { type: "DOWNLOAD_FAILED", deviceTime };
    case "11035":
      return { type: "EXECUTION_SUCCEEDED", deviceTime };
    default:
      return { type: "UNMAPPED_REPORT", deviceTime };
  }
}
