// The public pages' one translation table: every text of the interface, [zh-CN, en], and
// the language in use. A ?lang= link or the switch picks the language; the next page keeps it.

const TABLE = {
  "skip": ["跳到主要内容", "Skip to main content"],
  "nav": ["网站导航", "Site"],
  "nav.form": ["投诉登记", "Submit a complaint"],
  "nav.track": ["查询进度", "Track a complaint"],
  "colon": ["：", ": "],
  "optional": ["（选填）", "(optional)"],
  "optional.if_any": ["（如涉及）", "(if any)"],
  "yes": ["是", "Yes"],
  "no": ["否", "No"],
  "number": ["投诉编号", "Complaint number"],
  "token": ["查询码", "Tracking token"],
  "form.title": ["投诉登记", "Submit a complaint"],
  "form.intro": ["请如实填写。带 * 的为必填项。提交后您会得到投诉编号和查询码，凭此查询进度。", "Fields marked * are required. You will get a complaint number and a tracking token to follow its progress."],
  "form.about": ["投诉内容", "Your complaint"],
  "form.product": ["产品信息", "Product"],
  "form.respondent": ["被投诉对象", "Who or what it is about"],
  "form.you": ["您的信息", "About you"],
  "form.files": ["附件", "Attachments"],
  "form.submit": ["提交投诉", "Submit complaint"],
  "form.submitting": ["正在提交…", "Submitting…"],
  "f.kind": ["类型", "Kind"],
  "f.category": ["投诉分类", "Category"],
  "f.problem_type": ["问题类型", "Problem type"],
  "f.severity": ["严重程度", "Severity"],
  "f.priority": ["紧急程度", "Priority"],
  "f.subject": ["主题", "Subject"],
  "f.description": ["问题描述", "What happened"],
  "f.description.hint": ["发生了什么、何时、何地、涉及哪些人。", "What, when, where and who was involved."],
  "f.desired_outcome": ["投诉请求", "What you want us to do"],
  "f.desired_outcome.hint": ["您希望我们如何处理。", "The outcome you are asking for."],
  "f.required_completion_date": ["要求完成日期", "Needed by"],
  "f.people_affected": ["受影响人数", "People affected"],
  "f.department": ["受理部门", "Department to handle it"],
  "f.location": ["发生地点", "Where it happened"],
  "f.media_url": ["照片或视频链接", "Link to a photo or video"],
  "f.product.name": ["产品名称", "Product name"],
  "f.product.model": ["型号", "Model"],
  "f.product.serial_number": ["序列号", "Serial number"],
  "f.product.batch": ["批次", "Batch"],
  "f.product.shipment_number": ["发货单号", "Shipment number"],
  "f.product.shipped_on": ["发货日期", "Shipped on"],
  "f.respondent.department": ["被投诉部门", "Department"],
  "f.respondent.person": ["被投诉人员", "Person"],
  "f.anonymous": ["匿名投诉", "Complain anonymously"],
  "f.anonymous.hint": ["不留姓名和联系方式，只能凭查询码查询进度，我们也无法主动联系您。", "No name or contact details: you can follow it only with the tracking token, and we cannot contact you."],
  "f.confidential": ["为我的身份保密", "Keep my identity confidential"],
  "f.confidential.hint": ["只有获授权的人员能看到您的身份，被投诉方看不到。", "Only authorised staff see who you are; the people complained about do not."],
  "f.name": ["姓名", "Name"],
  "f.contact.hint": ["请至少填写一种联系方式。", "Give at least one way to contact you."],
  "f.mobile": ["手机", "Mobile"],
  "f.office_phone": ["办公电话", "Office phone"],
  "f.email": ["电子邮箱", "E-mail"],
  "f.address": ["通信地址", "Postal address"],
  "f.organisation": ["工作单位", "Organisation"],
  "f.attachments": ["选择文件", "Choose files"],
  "f.attachments.hint": ["最多 10 个文件，每个不超过 10 MB，支持 JPEG、PNG、PDF、TXT。提交投诉后自动上传。", "Up to 10 files of at most 10 MB each: JPEG, PNG, PDF or plain text. They are uploaded once the complaint is submitted."],
  "f.attachments.hint.track": ["最多 10 个文件，每个不超过 10 MB，支持 JPEG、PNG、PDF、TXT。", "Up to 10 files of at most 10 MB each: JPEG, PNG, PDF or plain text."],
  "kind.complaint": ["投诉", "Complaint"],
  "kind.request": ["请求", "Request"],
  "kind.suggestion": ["建议", "Suggestion"],
  "kind.inquiry": ["咨询", "Inquiry"],
  "kind.misconduct_report": ["举报", "Report of misconduct"],
  "problem_type.": ["未指定", "Not specified"],
  "problem_type.appearance_defect": ["外观缺陷", "Appearance defect"],
  "problem_type.functional_defect": ["功能缺陷", "Functional defect"],
  "problem_type.other": ["其他", "Other"],
  "severity.serious": ["严重", "Serious"],
  "severity.normal": ["一般", "Normal"],
  "severity.minor": ["轻微", "Minor"],
  "priority.high": ["高", "High"],
  "priority.medium": ["中", "Medium"],
  "priority.low": ["低", "Low"],
  "f.contact_preference": ["希望的联系方式", "How should we contact you"],
  "contact_preference.": ["（默认：有邮箱用邮件，否则短信）", "(default: e-mail if given, else text message)"],
  "contact_preference.email": ["电子邮件", "E-mail"],
  "contact_preference.sms": ["短信", "Text message (SMS)"],
  "contact_preference.phone": ["电话", "Phone call"],
  "contact_preference.none": ["不需要联系", "Do not contact me"],
  "survey.optout": ["不再接收短信", "No more text messages"],
  "survey.optout.done": ["已为您的手机号停止发送短信。", "We will send no more text messages to your mobile."],
  "survey.optout.none": ["该投诉没有登记手机号。", "No mobile number is on record for this complaint."],
  "department.": ["由我们分派", "Let us decide"],
  "receipt.title": ["投诉已提交", "Complaint submitted"],
  "receipt.keep": ["请保存以下编号和查询码，凭此查询处理进度。", "Keep this number and tracking token: you need both to follow your complaint."],
  "receipt.once": ["查询码只显示这一次，请妥善保存。", "The tracking token is shown only this once."],
  "receipt.track": ["查询处理进度", "Track this complaint"],
  "receipt.another": ["再提交一项", "Submit another"],
  "uploads.title": ["附件上传", "Uploading attachments"],
  "upload.waiting": ["等待上传", "waiting"],
  "upload.requesting": ["准备上传…", "preparing…"],
  "upload.uploading": ["上传中…", "uploading…"],
  "upload.done": ["已上传", "uploaded"],
  "upload.failed": ["上传失败", "upload failed"],
  "upload.pending": ["未完成上传", "not uploaded"],
  "track.title": ["查询投诉进度", "Track a complaint"],
  "track.intro": ["输入提交投诉时获得的投诉编号和查询码。", "Enter the complaint number and the tracking token you were given."],
  "track.lookup": ["查询", "Look up"],
  "track.case": ["投诉", "Complaint"],
  "track.status": ["当前状态", "Status"],
  "track.received_at": ["提交时间", "Submitted"],
  "track.deadlines": ["办理时限", "Deadlines"],
  "track.no_deadlines": ["暂无待办时限。", "No pending deadlines."],
  "track.timeline": ["处理记录", "Timeline"],
  "track.no_files": ["暂无附件。", "No attachments."],
  "track.add_files": ["添加附件", "Add attachments"],
  "track.upload": ["上传", "Upload"],
  "track.withdraw": ["撤回投诉", "Withdraw complaint"],
  "track.survey": ["填写满意度回访", "Answer the satisfaction survey"],
  "track.not_found": ["找不到与该编号和查询码对应的投诉，请核对后重试。", "No complaint matches that number and tracking token. Check both and try again."],
  "track.zone": ["时间按受理单位所在时区显示：{zone}。", "Times are on the organisation's clock: {zone}."],
  "track.withdrawn": ["投诉已撤回。", "The complaint has been withdrawn."],
  "track.uploaded": ["附件已上传。", "Attachments uploaded."],
  "thread.title": ["沟通记录", "Messages"],
  "thread.empty": ["暂无消息。", "No messages yet."],
  "thread.request": ["需要您补充的材料（请于 {date} 前回复）：", "We need the following from you (reply by {date}):"],
  "thread.from.staff": ["{department} · {role}", "{department} · {role}"],
  "thread.from.you": ["您", "You"],
  "thread.reply": ["回复", "Reply"],
  "thread.reply.hint": ["只显示文字；如需补充文件，请用上方“添加附件”。", "Text only; to add files, use “Add attachments” above."],
  "thread.send": ["发送回复", "Send reply"],
  "thread.sent": ["回复已发送。", "Your reply has been sent."],
  "thread.closed": ["此投诉已结束，不能再回复；如仍有问题，可再次投诉。", "This complaint is finished and takes no more replies; you may complain again."],
  "thread.limit": ["今天的回复已达上限，请明天再试。", "You have reached today's limit of replies; please try again tomorrow."],
  "role.handler": ["承办人", "handler"],
  "role.supervisor": ["主管", "supervisor"],
  "role.manager": ["经理", "manager"],
  "role.director": ["负责人", "director"],
  "role.system": ["系统", "system"],
  "withdraw.title": ["确认撤回投诉？", "Withdraw this complaint?"],
  "withdraw.text": ["撤回后我们将停止处理此投诉，且不能恢复。", "We will stop handling it, and this cannot be undone."],
  "withdraw.reason": ["撤回原因", "Reason"],
  "withdraw.yes": ["确认撤回", "Yes, withdraw"],
  "withdraw.no": ["取消", "Cancel"],
  "status.received": ["已接收", "Received"],
  "status.accepted": ["已受理", "Accepted"],
  "status.not_accepted": ["不予受理", "Not accepted"],
  "status.transferred": ["已转办", "Transferred"],
  "status.assigned": ["已分派", "Assigned"],
  "status.in_progress": ["处理中", "In progress"],
  "status.waiting_for_complainant": ["等待您补充", "Waiting for you"],
  "status.resolved": ["已处理", "Resolved"],
  "status.closed": ["已办结", "Closed"],
  "status.withdrawn": ["已撤回", "Withdrawn"],
  "event.received": ["已接收投诉", "Complaint received"],
  "event.accepted": ["已受理", "Accepted"],
  "event.not_accepted": ["不予受理", "Not accepted"],
  "event.transferred": ["已转办", "Transferred"],
  "event.assigned": ["已分派处理人员", "Handler assigned"],
  "event.in_progress": ["开始处理", "Work started"],
  "event.waiting_for_complainant": ["等待您补充信息", "Waiting for information from you"],
  "event.resumed": ["继续处理", "Work resumed"],
  "event.resolved": ["已处理", "Resolved"],
  "event.closed": ["已办结", "Closed"],
  "event.reopened": ["重新处理", "Reopened"],
  "event.withdrawn": ["已撤回", "Withdrawn"],
  "event.extension_approved": ["办理期限已延长", "Deadline extended"],
  "event.recomplained": ["已再次投诉", "Complained about again"],
  "event.follow_up_sent": ["已发送满意度回访", "Satisfaction survey sent"],
  "event.survey_answered": ["已完成回访", "Survey answered"],
  "detail.reason": ["原因", "Reason"],
  "detail.to": ["转至", "To"],
  "detail.new_due": ["新期限", "New deadline"],
  "detail.result": ["处理结果", "Outcome"],
  "detail.new_number": ["新投诉编号", "New complaint"],
  "deadline.acceptance": ["受理期限", "Accepted by"],
  "deadline.first_contact": ["首次联系期限", "First contact by"],
  "deadline.resolution": ["办结期限", "Resolved by"],
  "survey.title": ["满意度回访", "Satisfaction survey"],
  "survey.intro": ["您的投诉已处理，请告诉我们您的评价。", "Your complaint has been resolved: please tell us what you think."],
  "survey.intro.number": ["投诉 {number} 已处理，请告诉我们您的评价。", "Complaint {number} has been resolved: please tell us what you think."],
  "survey.score": ["您对处理结果的满意度 *", "How satisfied are you with the outcome? *"],
  "survey.score.hint": ["1 = 非常不满意，5 = 非常满意", "1 = very dissatisfied, 5 = very satisfied"],
  "survey.solved": ["您的问题解决了吗？ *", "Was your problem solved? *"],
  "survey.comment": ["意见或建议", "Comments"],
  "survey.send": ["提交评价", "Send"],
  "survey.thanks.title": ["感谢您的评价", "Thank you"],
  "survey.thanks": ["投诉 {number} 已办结。", "Complaint {number} is now closed."],
  "survey.recomplaint": ["我们已根据您的反馈重新立案，新投诉编号：{new}，查询码：{token}（请保存）。原查询码可继续查询原投诉。", "We have opened a new case from your answer: {new}, tracking token {token} (keep it). Your old token still shows the original complaint."],
  "survey.not_waiting": ["该投诉目前不需要回访，或已回访过。", "This complaint is not waiting for a survey answer, or it was answered already."],
  "survey.bad_link": ["回访链接无效或已过期，请输入投诉编号和查询码。", "The survey link is invalid or has expired: enter the complaint number and tracking token."],
  "errors.title": ["请更正以下问题：", "Please correct the following:"],
  "err.required": ["此项必填。", "This field is required."],
  "err.email": ["请输入有效的电子邮箱地址，例如 name@example.com。", "Enter a valid e-mail address, like name@example.com."],
  "err.phone": ["请输入有效的电话号码。", "Enter a valid phone number."],
  "err.complainant": ["请填写姓名和至少一种联系方式，或选择匿名投诉。", "Give your name and at least one way to contact you, or complain anonymously."],
  "err.date": ["请输入有效日期。", "Enter a valid date."],
  "err.people": ["请输入 1 到 100000 之间的整数。", "Enter a whole number from 1 to 100000."],
  "err.category": ["请选择投诉分类。", "Choose a category."],
  "err.invalid": ["填写有误", "Invalid"],
  "err.file_type": ["“{name}”的格式不支持，请上传 JPEG、PNG、PDF 或 TXT 文件。", "“{name}” is not a supported type: upload JPEG, PNG, PDF or plain text."],
  "err.file_size": ["“{name}”超过 10 MB 或为空文件。", "“{name}” is empty or larger than 10 MB."],
  "err.file_count": ["最多只能上传 10 个文件。", "You can upload at most 10 files."],
  "err.score": ["请选择 1 到 5 分。", "Choose a score from 1 to 5."],
  "err.solved": ["请选择“是”或“否”。", "Choose yes or no."],
  "err.network": ["网络连接失败，请稍后重试。", "The connection failed: please try again."],
  "err.server": ["服务暂时不可用，请稍后重试。", "The service is unavailable: please try again later."],
  "err.conflict": ["操作未能完成：{message}", "That could not be done: {message}"],
};

export const LANGS = ["zh-CN", "en"];
const KEY = "lang";

function initial() {
  const asked = new URLSearchParams(location.search).get("lang");
  try {
    if (LANGS.includes(asked)) {
      localStorage.setItem(KEY, asked); // the next page keeps it
      return asked;
    }
    const kept = localStorage.getItem(KEY);
    if (LANGS.includes(kept)) return kept;
  } catch (_) {
    if (LANGS.includes(asked)) return asked; // storage may be disabled
  }
  return "zh-CN";
}

let current = initial();

export function lang() { return current; }

export function setLang(value) {
  current = LANGS.includes(value) ? value : "zh-CN";
  try { localStorage.setItem(KEY, current); } catch (_) { /* not kept */ }
}

// t("survey.thanks", {number}) -> the text in the current language, placeholders filled.
export function t(key, vars) {
  const pair = TABLE[key];
  let text = pair ? pair[current === "en" ? 1 : 0] : key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
  return text;
}

// The organisation's own names (categories, departments), from its settings: the server
// writes them into the page as {category: {code: {"zh-CN": ..., en: ...}}, department: ...}.
let names = {};

export function setNames(value) { names = value || {}; }

// label("status", "received") -> a value's name; unknown values are shown as they are.
export function label(prefix, code) {
  const own = (names[prefix] || {})[code];
  if (own) return own[current] || own["zh-CN"] || code;
  const key = `${prefix}.${code}`;
  return key in TABLE ? t(key) : code;
}
