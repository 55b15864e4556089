import { config } from "./config.js";
import { offsetMinutes } from "./zone.js";

// The console's one translation table (zh-CN and en) and the language in use.
// The language follows the browser until the user picks one with the switch.

const TABLE = {
  "app.title": ["投诉处理工作台", "Complaints console"],
  "app.skip": ["跳到主要内容", "Skip to main content"],
  "nav.queues": ["工作队列", "Queues"],
  "nav.intake": ["登记投诉", "Record a complaint"],
  "nav.reports": ["统计报表", "Reports"],
  "nav.signout": ["退出", "Sign out"],
  "nav.main": ["主导航", "Main navigation"],
  "lang.switch": ["English", "中文"],
  "lang.label": ["切换语言", "Switch language"],
  "signin.title": ["登录", "Sign in"],
  "signin.local": ["本地演示环境：选择一位演示用户登录。", "Local stack: sign in as one of the demo users."],
  "signin.cognito": ["使用单位账号登录。", "Sign in with your organisation account."],
  "signin.go": ["登录", "Sign in"],
  "signin.as": ["以 {name} 登录", "Sign in as {name}"],
  "signin.none": ["此环境未配置员工登录。", "Staff sign-in is not configured here."],
  "signin.failed": ["登录失败：{message}", "Sign-in failed: {message}"],
  "signin.expired": ["登录已过期，请重新登录。", "Your session has ended; please sign in again."],
  "signin.user": ["用户", "User"],
  "signin.elsewhere": ["您已在另一个标签页中退出。", "You signed out in another tab."],
  "signin.roles": ["角色", "Roles"],
  "signin.departments": ["部门", "Departments"],
  "who": ["{name}（{roles}）", "{name} ({roles})"],
  "queue.mine": ["我的案件", "My cases"],
  "queue.to_accept": ["待受理", "To accept"],
  "queue.due": ["即将到期/已超期", "Due soon / overdue"],
  "queue.waiting": ["等待投诉人", "Waiting for complainant"],
  "queue.follow_up": ["已解决待回访", "Resolved, awaiting follow-up"],
  "queue.failed": ["发送失败的通知", "Failed notifications"],
  "queue.callbacks": ["待电话回访", "Callbacks due"],
  "callback.due": ["回访日期", "Due on"],
  "callback.slot": ["时段", "Slot"],
  "callback.attempts": ["已尝试", "Attempts"],
  "slot.morning": ["上午", "morning"],
  "slot.afternoon": ["下午", "afternoon"],
  "slot.evening": ["晚上", "evening"],
  "queues.title": ["工作队列", "Queues"],
  "queues.none": ["您的角色没有工作队列；可按编号查找案件或登记投诉。", "Your role has no queues: find a case by its number, or record a complaint."],
  "queues.empty": ["此队列中没有案件。", "No cases in this queue."],
  "queues.more": ["下一页", "Next page"],
  "queues.first": ["第一页", "First page"],
  "queues.capped": ["{count}+", "{count}+"],
  "filters.title": ["筛选", "Filters"],
  "filters.apply": ["应用筛选", "Apply filters"],
  "filters.clear": ["清除", "Clear"],
  "filters.any": ["全部", "Any"],
  "search.label": ["按编号查找", "Find by number"],
  "search.go": ["打开", "Open"],
  "search.notfound": ["没有编号为 {number} 的投诉，或您无权查看。", "No complaint {number}, or you may not see it."],
  "field.number": ["编号", "Number"],
  "field.subject": ["主题", "Subject"],
  "field.status": ["状态", "Status"],
  "field.grade": ["等级", "Grade"],
  "field.department": ["部门", "Department"],
  "field.category": ["类别", "Category"],
  "field.channel": ["渠道", "Channel"],
  "field.assignee": ["承办人", "Handler"],
  "field.received_at": ["受理时间", "Received"],
  "field.deadline": ["最近时限", "Nearest deadline"],
  "field.left": ["剩余", "Time left"],
  "col.deadline": ["时限", "Deadline"],
  "col.due": ["截止时间", "Due"],
  "field.met_at": ["完成时间", "met at"],
  "field.due": ["截止", "due"],
  "field.handler": ["承办人", "handler"],
  "field.reason": ["原因", "reason"],
  "field.text": ["内容", "text"],
  "field.to": ["转至", "to"],
  "field.escalation": ["升级", "Escalation"],
  "field.kind": ["类型", "Kind"],
  "field.description": ["描述", "Description"],
  "field.desired_outcome": ["期望结果", "Desired outcome"],
  "field.severity": ["严重程度", "Severity"],
  "field.priority": ["优先级", "Priority"],
  "field.people_affected": ["涉及人数", "People affected"],
  "field.name": ["姓名", "Name"],
  "field.mobile": ["手机", "Mobile"],
  "field.office_phone": ["办公电话", "Office phone"],
  "field.email": ["电子邮件", "E-mail"],
  "field.address": ["地址", "Address"],
  "field.organisation": ["单位", "Organisation"],
  "field.anonymous": ["匿名", "Anonymous"],
  "field.confidential": ["保密", "Confidential"],
  "field.respondent": ["被投诉对象", "Complained about"],
  "respondent.department": ["被投诉部门", "Department complained about"],
  "respondent.person": ["被投诉人员", "Person complained about"],
  "field.contact_preference": ["希望的联系方式", "How they want to be contacted"],
  "preference.default": ["默认（有邮箱用邮件，否则短信）", "Default (e-mail if given, else text message)"],
  "preference.email": ["电子邮件", "E-mail"],
  "preference.sms": ["短信", "Text message (SMS)"],
  "preference.phone": ["电话", "Phone call"],
  "preference.none": ["不需要联系", "Do not contact"],
  "field.product": ["产品", "Product"],
  "field.location": ["地点", "Location"],
  "field.required_completion_date": ["要求完成日期", "Required by"],
  "field.language": ["语言", "Language"],
  "field.root_cause": ["问题原因", "Root cause"],
  "field.solution": ["解决方案", "Solution"],
  "field.result": ["处理结果", "Result"],
  "field.parts_used": ["配品配件", "Parts used"],
  "field.actual_start": ["实际开始", "Actual start"],
  "field.actual_finish": ["实际完成", "Actual finish"],
  "field.refusal_reason": ["不予受理原因", "Reason for refusal"],
  "field.transferred_to": ["转办至", "Transferred to"],
  "field.related_to": ["关联投诉", "Related to"],
  "field.survey": ["回访结果", "Follow-up answer"],
  "field.extension": ["延期申请", "Extension request"],
  "field.version": ["版本", "Version"],
  "yes": ["是", "yes"],
  "no": ["否", "no"],
  "masked": ["（投诉人身份保密，已隐藏）", "(confidential complainant: identity hidden)"],
  "case.title": ["投诉 {number}", "Complaint {number}"],
  "case.details": ["案件信息", "Case"],
  "case.complainant": ["投诉人", "Complainant"],
  "case.deadlines": ["时限", "Deadlines"],
  "case.timeline": ["处理记录", "Timeline"],
  "thread.title": ["与投诉人沟通", "Conversation with the complainant"],
  "thread.empty": ["暂无消息、联系记录或备注。", "No messages, contacts or notes yet."],
  "thread.message": ["消息", "Message"],
  "thread.request": ["补正告知", "Request for information"],
  "thread.reminder": ["补正提醒", "Reminder"],
  "thread.reply": ["投诉人回复", "Complainant's reply"],
  "thread.contact": ["联系记录", "Contact"],
  "thread.note": ["内部备注", "Internal note"],
  "thread.callback": ["电话回访", "Callback"],
  "thread.expired": ["补正期满", "Request expired"],
  "thread.held": ["待确认邮件", "E-mail kept aside"],
  "thread.held_decided": ["已处理的邮件", "E-mail decided"],
  "thread.delivery": ["送达：{state}", "Delivery: {state}"],
  "thread.read": ["投诉人已查看 {at}", "Read by the complainant {at}"],
  "thread.unread": ["投诉人未查看", "Not read yet"],
  "thread.reply_by": ["请于 {date} 前回复", "Reply by {date}"],
  "thread.reasons": ["原因：{reasons}", "Why: {reasons}"],
  "thread.accept": ["接受为回复", "Accept as a reply"],
  "thread.discard": ["丢弃", "Discard"],
  "compose.title": ["给投诉人发消息", "Write to the complainant"],
  "compose.text": ["消息内容", "Message"],
  "compose.ask": ["一次性告知需补充的材料（补正）", "Ask for missing information (all at once)"],
  "compose.item": ["需补充的材料", "Item needed"],
  "compose.add": ["添加一项", "Add item"],
  "compose.remove": ["删除", "Remove"],
  "compose.items": ["已列出的材料", "Items asked for"],
  "compose.reply_by": ["回复期限", "Reply by"],
  "compose.send": ["发送", "Send"],
  "compose.sent": ["已发送。", "Sent."],
  "contact.title": ["记录一次联系", "Record a contact"],
  "contact.channel": ["方式", "Channel"],
  "contact.direction": ["方向", "Direction"],
  "contact.outcome": ["结果", "Outcome"],
  "contact.summary": ["摘要", "Summary"],
  "contact.save": ["保存联系记录", "Save contact"],
  "contact.saved": ["联系记录已保存。", "Contact recorded."],
  "case.actions": ["可执行操作", "Actions"],
  "case.noactions": ["您对此案件没有可执行的操作。", "There is nothing you may do on this case now."],
  "case.attachments": ["附件", "Attachments"],
  "case.noattachments": ["没有附件。", "No attachments."],
  "case.download": ["下载 {name}", "Download {name}"],
  "case.notuploaded": ["（尚未上传）", "(not uploaded yet)"],
  "case.handling": ["处理记录", "Handling record"],
  "case.finding": ["核实结论", "Finding"],
  "case.recused": ["回避人员", "Recused staff"],
  "finding.substantiated": ["是否属实", "Substantiated"],
  "finding.valid": ["有效投诉（本单位原因）", "Valid complaint (our own failure)"],
  "finding.responsible": ["责任部门", "Responsible department"],
  "finding.responsible.hint": ["属实或部分属实时必填；默认为登记的被投诉对象。", "Required when substantiated or partly; the respondent named at intake is offered."],
  "finding.nobody": ["（无）", "(none)"],
  "finding.none": ["（不记录结论）", "(no finding)"],
  "finding.person": ["责任人", "Responsible person"],
  "finding.action": ["处理意见", "Decision about the responsible"],
  "finding.action.hint": ["属实或部分属实时必填，例如警告、培训、扣分。", "Required when substantiated or partly: e.g. a warning, training, a deduction."],
  "finding.internal": ["内部信息：不向投诉人公开。", "Internal: never shown to the complainant."],
  "finding.masked": ["责任人仅对该部门主管及以上、质检和管理员可见。", "The person is shown to supervisors and up of that department, quality and admins only."],
  "recused.respondent": ["被投诉人", "the person complained about"],
  "conflict.person": ["回避人员", "Member of staff"],
  "field.finding": ["核实结论", "finding"],
  "field.substantiated": ["是否属实", "substantiated"],
  "field.valid": ["有效投诉", "valid"],
  "field.responsible": ["责任", "responsible"],
  "field.person": ["责任人", "person"],
  "field.action": ["处理意见", "action"],
  "field.conflicts": ["回避", "conflicts"],
  "case.back": ["返回队列", "Back to the queues"],
  "case.done": ["已完成：{action}", "Done: {action}"],
  "case.conflict": ["其他人刚刚修改了此案件。下方已显示最新状态，您填写的内容已保留，请核对后重试。", "Someone else changed this case just now. Its new state is shown below and what you typed is kept: check it and try again."],
  "case.cancel": ["取消", "Cancel"],
  "case.submit": ["提交", "Submit"],
  "deadline.acceptance": ["受理时限", "Acceptance"],
  "deadline.first_contact": ["首次联系时限", "First contact"],
  "deadline.resolution": ["办结时限", "Resolution"],
  "deadline.follow_up": ["回访时限", "Follow-up"],
  "deadline.follow_up_reply": ["回访答复期限", "Follow-up reply"],
  "deadline.grade_review": ["等级复核", "Grade review"],
  "deadline.met": ["已于 {at} 完成", "met {at}"],
  "deadline.due": ["截止 {at}", "due {at}"],
  "left.hours": ["剩余 {hours} 工作小时", "{hours} working hours left"],
  "left.overdue": ["已超期 {hours} 工作小时", "overdue by {hours} working hours"],
  "badge.overdue": ["已超期", "Overdue"],
  "badge.soon": ["即将到期", "Due soon"],
  "badge.paused": ["计时暂停", "Clock paused"],
  "badge.level": ["升级 {level} 级", "Escalated: level {level}"],
  "esc.0": ["未升级", "not escalated"],
  "esc.1": ["主管", "supervisor"],
  "esc.2": ["经理", "manager"],
  "esc.3": ["总监", "director"],
  "action.accept": ["受理", "Accept"],
  "action.refuse": ["不予受理", "Refuse"],
  "action.transfer": ["转办", "Transfer"],
  "action.assign": ["分派", "Assign"],
  "action.start": ["开始处理", "Start"],
  "action.wait": ["等待投诉人", "Wait for complainant"],
  "action.resume": ["恢复处理", "Resume"],
  "action.record_handling": ["记录处理情况", "Record handling"],
  "action.resolve": ["办结", "Resolve"],
  "action.close": ["结案", "Close"],
  "action.reopen": ["重新处理", "Reopen"],
  "action.add_note": ["添加备注", "Add a note"],
  "action.request_extension": ["申请延期", "Request an extension"],
  "action.decide_extension": ["审批延期", "Decide the extension"],
  "action.change_grade": ["调整等级", "Change the grade"],
  "action.mark_conflict": ["标记回避", "Mark a conflict of interest"],
  "form.reason": ["原因", "Reason"],
  "form.note": ["备注（可选）", "Note (optional)"],
  "form.text": ["备注内容", "Note"],
  "form.to": ["转至部门", "To department"],
  "form.handler": ["承办人", "Handler"],
  "form.pick": ["请选择", "Choose"],
  "form.new_due": ["新的截止时间", "New due date and time"],
  "form.approve": ["决定", "Decision"],
  "form.approve.yes": ["批准", "Approve"],
  "form.approve.no": ["驳回", "Refuse"],
  "form.grade": ["新等级", "New grade"],
  "form.part.name": ["配件名称", "Part"],
  "form.part.quantity": ["数量", "Quantity"],
  "form.part.add": ["添加配件", "Add a part"],
  "form.required": ["{label}（必填）", "{label} (required)"],
  "form.invalid": ["请更正标出的字段。", "Please correct the marked fields."],
  "form.error": ["请求失败：{message}", "The request failed: {message}"],
  "lookup.others": ["该投诉人的其他投诉", "This complainant's other complaints"],
  "lookup.none": ["没有找到该投诉人的其他投诉。", "No other complaints from this complainant."],
  "lookup.none_open": ["没有该来电人的未结投诉。", "No open complaints from this caller."],
  "lookup.masked": ["投诉人身份保密，您无权按其身份查找。", "The complainant is confidential: you may not look them up."],
  "lookup.nokeys": ["没有可用于查找的电话或电子邮件。", "No phone number or e-mail to look them up by."],
  "lookup.title": ["该来电人的未结投诉", "This caller's open complaints"],
  "lookup.hint": ["输入电话或电子邮件后自动查找。可打开未结案件添加备注，避免重复登记。", "Looked up as soon as a phone number or e-mail is typed: open an existing case to add to it instead of recording a duplicate."],
  "intake.title": ["登记投诉", "Record a complaint"],
  "intake.intro": ["记录通过电话、来访、信件、传真或电子邮件收到的投诉。", "Record a complaint taken by phone, visit, letter, fax or e-mail."],
  "intake.received_at": ["收到时间", "Received at"],
  "time.zone": ["时区：{zone}", "Time zone: {zone}"],
  "intake.done": ["已登记。请向投诉人复述编号：", "Recorded. Read this number back to the caller:"],
  "intake.another": ["再登记一件", "Record another"],
  "intake.open": ["打开案件", "Open the case"],
  "intake.save": ["登记", "Record"],
  "intake.complainant": ["投诉人", "Complainant"],
  "intake.complaint": ["投诉内容", "The complaint"],
  "reports.title": ["统计报表", "Reports"],
  "reports.month": ["月份", "Month"],
  "reports.by": ["分组", "Group by"],
  "reports.show": ["显示", "Show"],
  "reports.total": ["合计", "Total"],
  "reports.backlog": ["积压", "Backlog"],
  "reports.csv": ["下载 CSV", "Download CSV"],
  "reports.xlsx": ["下载 Excel", "Download Excel"],
  "reports.chart": ["各部门按时率", "On-time rates by department"],
  "reports.trend": ["近12个月趋势", "Trend over 12 months"],
  "reports.forbidden": ["您的角色无权查看报表。", "Your role may not see reports."],
  "reports.unavailable": ["报表暂不可用：{message}", "Reports are not available: {message}"],
  "reports.group": ["组", "Group"],
  "reports.figure": ["指标", "Figure"],
  "reports.as_of": ["本月尚未结束：数据截至 {at}。", "The month is not over: figures as of {at}."],
  "backlog.0-3": ["0-3 个工作日", "0-3 working days"],
  "backlog.4-10": ["4-10 个工作日", "4-10 working days"],
  "backlog.11-20": ["11-20 个工作日", "11-20 working days"],
  "backlog.over_20": ["20 个工作日以上", "Over 20 working days"],
  "backlog.overdue": ["其中已超期", "Of which overdue"],
  "reports.assessment": ["考核表（按责任部门，有效投诉量排序）", "Assessment by responsible department (most valid complaints first)"],
  "reports.rank": ["名次", "Rank"],
  "reports.assessment.csv": ["下载考核表 CSV", "Download the assessment (CSV)"],
  "reports.assessment.xlsx": ["下载考核表 Excel", "Download the assessment (Excel)"],
  "failed.none": ["没有发送失败的通知。", "No failed notifications."],
  "failed.attempts": ["尝试次数", "Attempts"],
  "failed.error": ["最后错误", "Last error"],
  "failed.audience": ["接收方", "Audience"],
  "failed.subject": ["主题", "Subject"],
  "failed.created": ["创建时间", "Created"],
  "loading": ["加载中…", "Loading…"],
  "error.generic": ["出错了：{message}", "Something went wrong: {message}"],
  "error.forbidden": ["您无权执行此操作。", "You may not do this."],
  "error.notfound": ["未找到。", "Not found."],
  "timeline.by": ["{actor}（{role}）", "{actor} ({role})"],
  "timeline.changed": ["{field}：{before} → {after}", "{field}: {before} → {after}"],
};

const ENUMS = {
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
    contact_recorded: ["记录联系", "contact recorded"], first_contact_made: ["首次联系", "first contact made"],
    message_sent: ["发送消息", "message sent"], info_requested: ["补正告知", "information requested"],
    info_request_reminded: ["补正提醒", "information reminder"], info_request_expired: ["补正逾期", "information request expired"],
    info_answered: ["补正答复", "information supplied"], reply_after_expiry: ["逾期后答复", "reply after expiry"],
    conflict_marked: ["标记回避", "conflict of interest marked"],
    anonymised: ["个人信息已匿名化（保存期满）", "personal data anonymised (retention)"],
  },
  substantiated: { yes: ["属实", "substantiated"], partly: ["部分属实", "partly substantiated"], no: ["不属实", "not substantiated"] },
};

export const LANGS = ["zh-CN", "en"];
const KEY = "console.lang";

function detect() {
  const chosen = localStorage.getItem(KEY);
  if (LANGS.includes(chosen)) return chosen;
  const wanted = navigator.languages || [navigator.language || "en"];
  for (const tag of wanted) {
    if (tag.toLowerCase().startsWith("zh")) return "zh-CN";
    if (tag.toLowerCase().startsWith("en")) return "en";
  }
  return "en";
}

let current = detect();

export function lang() { return current; }

export function setLang(value) {
  current = LANGS.includes(value) ? value : "en";
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current;
}

function pick(pair) { return pair[current === "zh-CN" ? 0 : 1]; }

// t("case.title", {number}) -> the text in the current language, placeholders filled.
export function t(key, values = {}) {
  const pair = TABLE[key];
  if (!pair) return key;
  return pick(pair).replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

// The organisation's own names (categories, departments) come from its settings (org.js):
// this table keeps only the interface's own words.
const OWN = {};

export function setNames(kind, names) { OWN[kind] = names; }

// label("status", "received") -> a value's name; unknown values are shown as they are.
export function label(kind, value) {
  if (value === null || value === undefined || value === "") return "";
  const pair = (OWN[kind] || {})[value] || (ENUMS[kind] || {})[value];
  if (pair) return pick(pair);
  // An event type this table does not know yet reads as words, not as a key.
  return kind === "event" ? String(value).replace(/_/g, " ") : String(value);
}

// Times are shown, and typed, in the organisation's time zone, wherever the browser is.
export function dateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(current, { dateStyle: "medium", timeStyle: "short", timeZone: config.timezone });
}

// "2026-11-02T09:30" typed in a datetime-local field -> an ISO instant in the org's zone.
export function fromOrgTime(value) {
  const guess = new Date(`${value}:00Z`);
  const first = new Date(guess.getTime() - offsetMinutes(guess, config.timezone) * 60000);
  return new Date(guess.getTime() - offsetMinutes(first, config.timezone) * 60000).toISOString();
}

// Now, as a datetime-local value in the org's zone.
export function orgNow() {
  const now = new Date();
  return new Date(now.getTime() + offsetMinutes(now, config.timezone) * 60000).toISOString().slice(0, 16);
}

export function hours(value) {
  return new Intl.NumberFormat(current, { maximumFractionDigits: 1 }).format(Math.abs(value));
}

export function keysForTest() { return Object.keys(TABLE); }
