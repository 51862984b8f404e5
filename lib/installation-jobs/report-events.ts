/** Maps a device's status-report messageID to a status-model event (status-model.md table). */
import type { DeviceReport, JobEvent } from "./status-model";

export function eventForReport(report: DeviceReport): JobEvent {
  switch (report.messageId.trim()) {
    case "11030":
      return { type: "DOWNLOAD_STARTED", report };
    case "11031":
      return { type: "DOWNLOAD_SUCCEEDED", report };
    case "11032":
      return { type: "DOWNLOAD_FAILED", report };
    case "11035":
      return { type: "EXECUTION_SUCCEEDED", report };
    default:
      return { type: "UNMAPPED_REPORT", report };
  }
}
