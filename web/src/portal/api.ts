// The help-centre API (/api/v1/portal/{workspace}), on the agent app's small fetch wrapper.
import { request, setCsrfToken, ApiError } from "../api";

export { ApiError, setCsrfToken };

export interface HelpCentre { name: string; locale: string; time_zone: string }
export interface PortalCustomer { id: number; name: string; language: string }
export interface PortalSession { customer: PortalCustomer; csrf_token: string }
export interface PortalRequest {
  number: number; subject: string; status: string; channel?: string; created_at: string; updated_at: string;
  /** By when the customer can expect our next reply; null when we are not the ones to answer next. */
  expected_reply_at?: string | null;
}
export interface PortalAttachment { id: number; name: string; content_type: string; size: number }
export interface PortalMessage {
  id: number; author_type: "agent" | "customer" | "system"; author_name: string; body: string; created_at: string;
  attachments?: PortalAttachment[];
}

const base = (ws: string) => `/api/v1/portal/${encodeURIComponent(ws)}`;
/** Where files are uploaded, and downloaded from (signed-in customers, their own requests). */
export const portalUploadUrl = (ws: string) => `${base(ws)}/attachments`;
export const portalAttachmentUrl = (ws: string, id: number) => `${base(ws)}/attachments/${id}`;
const body = <T>(p: Promise<{ body: T }>) => p.then((a) => a.body);

export const portalApi = {
  helpCentre: (ws: string) => body(request<HelpCentre>("GET", base(ws))),
  submit: (
    ws: string,
    input: { name?: string; email?: string; language: string; subject: string; body: string; attachments?: string[] },
  ) =>
    body(request<PortalRequest>("POST", `${base(ws)}/requests`, input)),
  sendLink: (ws: string, email: string) => body(request<{ sent: boolean }>("POST", `${base(ws)}/sign-in-link`, { email })),
  openSession: (ws: string, token: string) => body(request<PortalSession>("POST", `${base(ws)}/session`, { token })),
  session: (ws: string) => body(request<PortalSession>("GET", `${base(ws)}/session`)),
  signOut: (ws: string) => body(request<unknown>("POST", `${base(ws)}/sign-out`)),
  requests: (ws: string) => body(request<{ requests: PortalRequest[] }>("GET", `${base(ws)}/requests`)),
  request: (ws: string, n: number) =>
    body(request<{ request: PortalRequest; messages: PortalMessage[] }>("GET", `${base(ws)}/requests/${n}`)),
  reply: (ws: string, n: number, text: string, attachments: string[] = []) =>
    body(
      request<{ id: number; request: PortalRequest }>("POST", `${base(ws)}/requests/${n}/messages`, {
        body: text,
        ...(attachments.length ? { attachments } : {}),
      }),
    ),
};
