// The console's names for the values the API sends (statuses, channels, roles, event
// types, ...) in zh-CN and en: i18n.js's `label` reads them.

export const ENUMS = {
  status: {
    received: ["已登记", "Received"], accepted: ["已受理", "Accepted"],
    not_accepted: ["不予受理", "Not accepted"], transferred: ["已转办", "Transferred"],
    assigned: ["已分派", "Assigned"], in_progress: ["处理中", "In progress"],
    waiting_for_complainant: ["等待投诉人", "Waiting for complainant"],
    resolved: ["已办结", "Resolved"], closed: ["已结案", "Closed"], withdrawn: ["已撤回", "Withdrawn"],
  },
  channel: {
    web: ["网页", "Web"], phone: ["电话", "Phone"], email: ["电子邮件", "E-mail"], fax: ["传真", "Fax"],
    letter: ["信件", "Letter"], visit: ["来访", "Visit"], open311: ["Open311", "Open311"], other: ["其他", "Other"],
  },
  kind: {
    complaint: ["投诉", "Complaint"], request: ["请求", "Request"], suggestion: ["建议", "Suggestion"],
    inquiry: ["咨询", "Inquiry"], misconduct_report: ["举报", "Misconduct report"],
  },
  role: {
    intake_agent: ["登记员", "intake agent"], handler: ["承办人", "handler"], supervisor: ["主管", "supervisor"],
    manager: ["经理", "manager"], director: ["总监", "director"], quality: ["质检", "quality"],
    admin: ["管理员", "admin"], complainant: ["投诉人", "complainant"], system: ["系统", "system"],
  },
  severity: { serious: ["严重", "serious"], normal: ["一般", "normal"], minor: ["轻微", "minor"] },
  priority: { high: ["高", "high"], medium: ["中", "medium"], low: ["低", "low"] },
  event: {
    received: ["登记", "received"], accepted: ["受理", "accepted"], not_accepted: ["不予受理", "refused"],
    transferred: ["转办", "transferred"], assigned: ["分派", "assigned"], in_progress: ["开始处理", "started"],
    waiting_for_complainant: ["等待投诉人", "waiting for complainant"], resumed: ["恢复处理", "resumed"],
    handling_recorded: ["记录处理情况", "handling recorded"], resolved: ["办结", "resolved"],
    closed: ["结案", "closed"], reopened: ["重新处理", "reopened"], note_added: ["备注", "note"],
    extension_requested: ["申请延期", "extension requested"], extension_approved: ["批准延期", "extension approved"],
    extension_refused: ["驳回延期", "extension refused"], follow_up_sent: ["发出回访", "follow-up sent"],
    recomplained: ["再次投诉", "complained again"], survey_answered: ["回访答复", "survey answered"],
    grade_changed: ["调整等级", "grade changed"], withdrawn: ["撤回", "withdrawn"],
    reminded: ["提醒", "reminder sent"], escalated: ["升级", "escalated"],
    acknowledgement_held: ["暂缓发送回执", "acknowledgement held"],
    complainant_unreachable: ["投诉人无法联系", "complainant unreachable"],
    attachment_added: ["添加附件", "attachment added"], attachment_uploaded: ["附件已上传", "attachment uploaded"],
    callback_attempted: ["电话回访未接通", "callback attempted"], callback_reached: ["电话回访已接通", "callback reached"],
    callback_answered: ["电话回访答复", "callback answered"], callback_rescheduled: ["回访改期", "callback rescheduled"],
    callback_message_left: ["回访留言", "callback message left"], callback_unreachable: ["回访无法联系", "callback unreachable"],
    follow_up_by_callback: ["改为电话回访", "follow-up by callback"], follow_up_not_sent: ["回访未发出", "follow-up not sent"],
    follow_up_settled: ["回访完成", "follow-up settled"], follow_up_feedback: ["回访补充意见", "follow-up feedback"],
    contact_recorded: ["记录联系", "contact recorded"], first_contact_made: ["首次联系", "first contact made"], replies_seen: ["承办人已阅回复", "replies seen by the handler"],
    message_sent: ["发送消息", "message sent"], info_requested: ["补正告知", "information requested"],
    info_request_reminded: ["补正提醒", "information reminder"], info_request_expired: ["补正逾期", "information request expired"],
    info_answered: ["补正答复", "information supplied"], reply_after_expiry: ["逾期后答复", "reply after expiry"],
    conflict_marked: ["标记回避", "conflict of interest marked"],
    anonymised: ["个人信息已匿名化（保存期满）", "personal data anonymised (retention)"],
  },
  substantiated: { yes: ["属实", "substantiated"], partly: ["部分属实", "partly substantiated"], no: ["不属实", "not substantiated"] },
};
