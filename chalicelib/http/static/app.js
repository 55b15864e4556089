// The public pages (complaint form, tracking, survey): one script, no libraries, no CDN.
// Every text is in TEXT, in zh-CN and en; the page is re-rendered when the language changes.
"use strict";

(() => {
  const CONFIG = JSON.parse(document.getElementById("config")?.textContent || "{}");
  const ALLOWED_TYPES = ["image/jpeg", "image/png", "application/pdf", "text/plain"];
  const MAX_FILES = 10;
  const MAX_BYTES = 10 * 1024 * 1024;
  const FINAL = ["not_accepted", "closed", "withdrawn"];

  const ENUMS = {
    kind: ["complaint", "request", "suggestion", "inquiry", "misconduct_report"],
    problem_type: ["", "appearance_defect", "functional_defect", "other"],
    severity: ["serious", "normal", "minor"],
    priority: ["high", "medium", "low"],
    contact_preference: ["", "email", "sms", "phone", "none"],
  };

  const TEXT = {
    "zh-CN": {
      skip: "跳到主要内容", nav: "网站导航", "nav.form": "投诉登记", "nav.track": "查询进度",
      colon: "：", optional: "（选填）", "optional.if_any": "（如涉及）", yes: "是", no: "否",
      number: "投诉编号", token: "查询码",
      "form.title": "投诉登记",
      "form.intro": "请如实填写。带 * 的为必填项。提交后您会得到投诉编号和查询码，凭此查询进度。",
      "form.about": "投诉内容", "form.product": "产品信息", "form.respondent": "被投诉对象",
      "form.you": "您的信息", "form.files": "附件", "form.submit": "提交投诉",
      "form.submitting": "正在提交…",
      "f.kind": "类型", "f.category": "投诉分类", "f.problem_type": "问题类型",
      "f.severity": "严重程度", "f.priority": "紧急程度", "f.subject": "主题",
      "f.description": "问题描述", "f.description.hint": "发生了什么、何时、何地、涉及哪些人。",
      "f.desired_outcome": "投诉请求", "f.desired_outcome.hint": "您希望我们如何处理。",
      "f.required_completion_date": "要求完成日期", "f.people_affected": "受影响人数",
      "f.department": "受理部门", "f.location": "发生地点", "f.media_url": "照片或视频链接",
      "f.product.name": "产品名称", "f.product.model": "型号", "f.product.serial_number": "序列号",
      "f.product.batch": "批次", "f.product.shipment_number": "发货单号",
      "f.product.shipped_on": "发货日期",
      "f.respondent.department": "被投诉部门", "f.respondent.person": "被投诉人员",
      "f.anonymous": "匿名投诉",
      "f.anonymous.hint": "不留姓名和联系方式，只能凭查询码查询进度，我们也无法主动联系您。",
      "f.confidential": "为我的身份保密",
      "f.confidential.hint": "只有获授权的人员能看到您的身份，被投诉方看不到。",
      "f.name": "姓名", "f.contact.hint": "请至少填写一种联系方式。", "f.mobile": "手机",
      "f.office_phone": "办公电话", "f.email": "电子邮箱", "f.address": "通信地址",
      "f.organisation": "工作单位", "f.attachments": "选择文件",
      "f.attachments.hint": "最多 10 个文件，每个不超过 10 MB，支持 JPEG、PNG、PDF、TXT。提交投诉后自动上传。",
      "f.attachments.hint.track": "最多 10 个文件，每个不超过 10 MB，支持 JPEG、PNG、PDF、TXT。",
      "kind.complaint": "投诉", "kind.request": "请求", "kind.suggestion": "建议",
      "kind.inquiry": "咨询", "kind.misconduct_report": "举报",
      "problem_type.": "未指定", "problem_type.appearance_defect": "外观缺陷",
      "problem_type.functional_defect": "功能缺陷", "problem_type.other": "其他",
      "severity.serious": "严重", "severity.normal": "一般", "severity.minor": "轻微",
      "priority.high": "高", "priority.medium": "中", "priority.low": "低",
      "f.contact_preference": "希望的联系方式", "contact_preference.": "（默认：有邮箱用邮件，否则短信）",
      "contact_preference.email": "电子邮件", "contact_preference.sms": "短信",
      "contact_preference.phone": "电话", "contact_preference.none": "不需要联系",
      "survey.optout": "不再接收短信", "survey.optout.done": "已为您的手机号停止发送短信。",
      "survey.optout.none": "该投诉没有登记手机号。",
      "category.product_quality": "产品质量", "category.service_attitude": "服务态度",
      "category.service_efficiency": "服务效率", "category.professional_competence": "专业能力",
      "category.billing": "收费", "category.delivery": "交付", "category.other": "其他",
      "department.": "由我们分派", "department.service": "客户服务部", "department.sales": "销售部",
      "department.quality": "质量部",
      "receipt.title": "投诉已提交", "receipt.keep": "请保存以下编号和查询码，凭此查询处理进度。",
      "receipt.once": "查询码只显示这一次，请妥善保存。", "receipt.track": "查询处理进度",
      "receipt.another": "再提交一项", "uploads.title": "附件上传",
      "upload.waiting": "等待上传", "upload.requesting": "准备上传…", "upload.uploading": "上传中…",
      "upload.done": "已上传", "upload.failed": "上传失败", "upload.pending": "未完成上传",
      "track.title": "查询投诉进度", "track.intro": "输入提交投诉时获得的投诉编号和查询码。",
      "track.lookup": "查询", "track.case": "投诉", "track.status": "当前状态",
      "track.received_at": "提交时间", "track.deadlines": "办理时限",
      "track.no_deadlines": "暂无待办时限。", "track.timeline": "处理记录",
      "track.no_files": "暂无附件。", "track.add_files": "添加附件", "track.upload": "上传",
      "track.withdraw": "撤回投诉", "track.survey": "填写满意度回访",
      "track.not_found": "找不到与该编号和查询码对应的投诉，请核对后重试。",
      "track.withdrawn": "投诉已撤回。", "track.uploaded": "附件已上传。",
      "withdraw.title": "确认撤回投诉？", "withdraw.text": "撤回后我们将停止处理此投诉，且不能恢复。",
      "withdraw.reason": "撤回原因", "withdraw.yes": "确认撤回", "withdraw.no": "取消",
      "status.received": "已接收", "status.accepted": "已受理", "status.not_accepted": "不予受理",
      "status.transferred": "已转办", "status.assigned": "已分派", "status.in_progress": "处理中",
      "status.waiting_for_complainant": "等待您补充", "status.resolved": "已处理",
      "status.closed": "已办结", "status.withdrawn": "已撤回",
      "event.received": "已接收投诉", "event.accepted": "已受理", "event.not_accepted": "不予受理",
      "event.transferred": "已转办", "event.assigned": "已分派处理人员",
      "event.in_progress": "开始处理", "event.waiting_for_complainant": "等待您补充信息",
      "event.resumed": "继续处理", "event.resolved": "已处理", "event.closed": "已办结",
      "event.reopened": "重新处理", "event.withdrawn": "已撤回",
      "event.extension_approved": "办理期限已延长", "event.recomplained": "已再次投诉",
      "event.follow_up_sent": "已发送满意度回访", "event.survey_answered": "已完成回访",
      "detail.reason": "原因", "detail.to": "转至", "detail.new_due": "新期限",
      "detail.result": "处理结果", "detail.new_number": "新投诉编号",
      "deadline.acceptance": "受理期限", "deadline.first_contact": "首次联系期限",
      "deadline.resolution": "办结期限",
      "survey.title": "满意度回访", "survey.intro": "您的投诉已处理，请告诉我们您的评价。",
      "survey.intro.number": "投诉 {number} 已处理，请告诉我们您的评价。",
      "survey.score": "您对处理结果的满意度 *", "survey.score.hint": "1 = 非常不满意，5 = 非常满意",
      "survey.solved": "您的问题解决了吗？ *", "survey.comment": "意见或建议",
      "survey.send": "提交评价", "survey.thanks.title": "感谢您的评价",
      "survey.thanks": "投诉 {number} 已办结。", "survey.recomplaint":
        "我们已根据您的反馈重新立案，新投诉编号：{new}，查询码：{token}（请保存）。原查询码可继续查询原投诉。",
      "survey.not_waiting": "该投诉目前不需要回访，或已回访过。",
      "survey.bad_link": "回访链接无效或已过期，请输入投诉编号和查询码。",
      "errors.title": "请更正以下问题：", "err.required": "此项必填。",
      "err.email": "请输入有效的电子邮箱地址，例如 name@example.com。",
      "err.phone": "请输入有效的电话号码。",
      "err.complainant": "请填写姓名和至少一种联系方式，或选择匿名投诉。",
      "err.date": "请输入有效日期。", "err.people": "请输入 1 到 100000 之间的整数。",
      "err.category": "请选择投诉分类。", "err.invalid": "填写有误",
      "err.file_type": "“{name}”的格式不支持，请上传 JPEG、PNG、PDF 或 TXT 文件。",
      "err.file_size": "“{name}”超过 10 MB 或为空文件。", "err.file_count": "最多只能上传 10 个文件。",
      "err.score": "请选择 1 到 5 分。", "err.solved": "请选择“是”或“否”。",
      "err.network": "网络连接失败，请稍后重试。", "err.server": "服务暂时不可用，请稍后重试。",
      "err.conflict": "操作未能完成：{message}",
    },
    en: {
      skip: "Skip to main content", nav: "Site", colon: ": ", "nav.form": "Submit a complaint",
      "nav.track": "Track a complaint", optional: "(optional)", "optional.if_any": "(if any)",
      yes: "Yes", no: "No", number: "Complaint number", token: "Tracking token",
      "form.title": "Submit a complaint",
      "form.intro": "Fields marked * are required. You will get a complaint number and a tracking token to follow its progress.",
      "form.about": "Your complaint", "form.product": "Product", "form.respondent": "Who or what it is about",
      "form.you": "About you", "form.files": "Attachments", "form.submit": "Submit complaint",
      "form.submitting": "Submitting…",
      "f.kind": "Kind", "f.category": "Category", "f.problem_type": "Problem type",
      "f.severity": "Severity", "f.priority": "Priority", "f.subject": "Subject",
      "f.description": "What happened", "f.description.hint": "What, when, where and who was involved.",
      "f.desired_outcome": "What you want us to do", "f.desired_outcome.hint": "The outcome you are asking for.",
      "f.required_completion_date": "Needed by", "f.people_affected": "People affected",
      "f.department": "Department to handle it", "f.location": "Where it happened",
      "f.media_url": "Link to a photo or video",
      "f.product.name": "Product name", "f.product.model": "Model", "f.product.serial_number": "Serial number",
      "f.product.batch": "Batch", "f.product.shipment_number": "Shipment number",
      "f.product.shipped_on": "Shipped on",
      "f.respondent.department": "Department", "f.respondent.person": "Person",
      "f.anonymous": "Complain anonymously",
      "f.anonymous.hint": "No name or contact details: you can follow it only with the tracking token, and we cannot contact you.",
      "f.confidential": "Keep my identity confidential",
      "f.confidential.hint": "Only authorised staff see who you are; the people complained about do not.",
      "f.name": "Name", "f.contact.hint": "Give at least one way to contact you.", "f.mobile": "Mobile",
      "f.office_phone": "Office phone", "f.email": "E-mail", "f.address": "Postal address",
      "f.organisation": "Organisation", "f.attachments": "Choose files",
      "f.attachments.hint": "Up to 10 files of at most 10 MB each: JPEG, PNG, PDF or plain text. They are uploaded once the complaint is submitted.",
      "f.attachments.hint.track": "Up to 10 files of at most 10 MB each: JPEG, PNG, PDF or plain text.",
      "kind.complaint": "Complaint", "kind.request": "Request", "kind.suggestion": "Suggestion",
      "kind.inquiry": "Inquiry", "kind.misconduct_report": "Report of misconduct",
      "problem_type.": "Not specified", "problem_type.appearance_defect": "Appearance defect",
      "problem_type.functional_defect": "Functional defect", "problem_type.other": "Other",
      "severity.serious": "Serious", "severity.normal": "Normal", "severity.minor": "Minor",
      "priority.high": "High", "priority.medium": "Medium", "priority.low": "Low",
      "f.contact_preference": "How should we contact you",
      "contact_preference.": "(default: e-mail if given, else text message)",
      "contact_preference.email": "E-mail", "contact_preference.sms": "Text message (SMS)",
      "contact_preference.phone": "Phone call", "contact_preference.none": "Do not contact me",
      "survey.optout": "No more text messages",
      "survey.optout.done": "We will send no more text messages to your mobile.",
      "survey.optout.none": "No mobile number is on record for this complaint.",
      "category.product_quality": "Product quality", "category.service_attitude": "Service attitude",
      "category.service_efficiency": "Service efficiency",
      "category.professional_competence": "Professional competence", "category.billing": "Billing",
      "category.delivery": "Delivery", "category.other": "Other",
      "department.": "Let us decide", "department.service": "Customer service",
      "department.sales": "Sales", "department.quality": "Quality",
      "receipt.title": "Complaint submitted",
      "receipt.keep": "Keep this number and tracking token: you need both to follow your complaint.",
      "receipt.once": "The tracking token is shown only this once.", "receipt.track": "Track this complaint",
      "receipt.another": "Submit another", "uploads.title": "Uploading attachments",
      "upload.waiting": "waiting", "upload.requesting": "preparing…", "upload.uploading": "uploading…",
      "upload.done": "uploaded", "upload.failed": "upload failed", "upload.pending": "not uploaded",
      "track.title": "Track a complaint",
      "track.intro": "Enter the complaint number and the tracking token you were given.",
      "track.lookup": "Look up", "track.case": "Complaint", "track.status": "Status",
      "track.received_at": "Submitted", "track.deadlines": "Deadlines",
      "track.no_deadlines": "No pending deadlines.", "track.timeline": "Timeline",
      "track.no_files": "No attachments.", "track.add_files": "Add attachments", "track.upload": "Upload",
      "track.withdraw": "Withdraw complaint", "track.survey": "Answer the satisfaction survey",
      "track.not_found": "No complaint matches that number and tracking token. Check both and try again.",
      "track.withdrawn": "The complaint has been withdrawn.", "track.uploaded": "Attachments uploaded.",
      "withdraw.title": "Withdraw this complaint?",
      "withdraw.text": "We will stop handling it, and this cannot be undone.",
      "withdraw.reason": "Reason", "withdraw.yes": "Yes, withdraw", "withdraw.no": "Cancel",
      "status.received": "Received", "status.accepted": "Accepted", "status.not_accepted": "Not accepted",
      "status.transferred": "Transferred", "status.assigned": "Assigned", "status.in_progress": "In progress",
      "status.waiting_for_complainant": "Waiting for you", "status.resolved": "Resolved",
      "status.closed": "Closed", "status.withdrawn": "Withdrawn",
      "event.received": "Complaint received", "event.accepted": "Accepted",
      "event.not_accepted": "Not accepted", "event.transferred": "Transferred",
      "event.assigned": "Handler assigned", "event.in_progress": "Work started",
      "event.waiting_for_complainant": "Waiting for information from you", "event.resumed": "Work resumed",
      "event.resolved": "Resolved", "event.closed": "Closed", "event.reopened": "Reopened",
      "event.withdrawn": "Withdrawn", "event.extension_approved": "Deadline extended",
      "event.recomplained": "Complained about again", "event.follow_up_sent": "Satisfaction survey sent",
      "event.survey_answered": "Survey answered",
      "detail.reason": "Reason", "detail.to": "To", "detail.new_due": "New deadline",
      "detail.result": "Outcome", "detail.new_number": "New complaint",
      "deadline.acceptance": "Accepted by", "deadline.first_contact": "First contact by",
      "deadline.resolution": "Resolved by",
      "survey.title": "Satisfaction survey",
      "survey.intro": "Your complaint has been resolved: please tell us what you think.",
      "survey.intro.number": "Complaint {number} has been resolved: please tell us what you think.",
      "survey.score": "How satisfied are you with the outcome? *",
      "survey.score.hint": "1 = very dissatisfied, 5 = very satisfied",
      "survey.solved": "Was your problem solved? *", "survey.comment": "Comments",
      "survey.send": "Send", "survey.thanks.title": "Thank you",
      "survey.thanks": "Complaint {number} is now closed.",
      "survey.recomplaint": "We have opened a new case from your answer: {new}, tracking token {token} (keep it). Your old token still shows the original complaint.",
      "survey.not_waiting": "This complaint is not waiting for a survey answer, or it was answered already.",
      "survey.bad_link": "The survey link is invalid or has expired: enter the complaint number and tracking token.",
      "errors.title": "Please correct the following:", "err.required": "This field is required.",
      "err.email": "Enter a valid e-mail address, like name@example.com.",
      "err.phone": "Enter a valid phone number.",
      "err.complainant": "Give your name and at least one way to contact you, or complain anonymously.",
      "err.date": "Enter a valid date.", "err.people": "Enter a whole number from 1 to 100000.",
      "err.category": "Choose a category.", "err.invalid": "Invalid",
      "err.file_type": "“{name}” is not a supported type: upload JPEG, PNG, PDF or plain text.",
      "err.file_size": "“{name}” is empty or larger than 10 MB.",
      "err.file_count": "You can upload at most 10 files.",
      "err.score": "Choose a score from 1 to 5.", "err.solved": "Choose yes or no.",
      "err.network": "The connection failed: please try again.",
      "err.server": "The service is unavailable: please try again later.",
      "err.conflict": "That could not be done: {message}",
    },
  };

  // -- language --------------------------------------------------------------------------

  let lang = initialLanguage();
  const onLanguage = [];

  function initialLanguage() {
    const asked = new URLSearchParams(location.search).get("lang");
    try {
      if (asked === "en" || asked === "zh-CN") {
        localStorage.setItem("lang", asked); // the next page keeps it
        return asked;
      }
      const kept = localStorage.getItem("lang");
      if (kept === "en" || kept === "zh-CN") return kept;
    } catch (_) {
      if (asked === "en" || asked === "zh-CN") return asked; // storage may be disabled
    }
    return "zh-CN";
  }

  function t(key, vars) {
    let text = TEXT[lang][key] ?? TEXT["zh-CN"][key] ?? key;
    if (vars) text = text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
    return text;
  }

  function label(prefix, code) {
    const key = `${prefix}.${code}`;
    return TEXT[lang][key] ?? code;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-aria]").forEach(el => {
      el.setAttribute("aria-label", t(el.dataset.i18nAria));
    });
    const toggle = document.getElementById("lang-toggle");
    toggle.textContent = lang === "en" ? "中文" : "English";
    toggle.lang = lang === "en" ? "zh-CN" : "en";
    toggle.setAttribute("aria-label", lang === "en" ? "切换到中文" : "Switch to English");
    fillSelects();
    document.querySelectorAll("#upload-list .state[data-code]").forEach(el => {
      el.textContent = t(`upload.${el.dataset.code}`);
    });
    Errors.render(false);
    onLanguage.forEach(render => render());
  }

  function switchLanguage() {
    lang = lang === "en" ? "zh-CN" : "en";
    try { localStorage.setItem("lang", lang); } catch (_) { /* not kept */ }
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.set("lang", lang);
      history.replaceState(null, "", url);
    }
    applyLanguage();
  }

  function fillSelects() {
    document.querySelectorAll("select[data-enum]").forEach(select => {
      const name = select.dataset.enum;
      const current = select.value || select.dataset.default || "";
      let codes = ENUMS[name];
      if (name === "category") codes = CONFIG.categories || [];
      if (name === "department") codes = ["", ...(CONFIG.departments || [])];
      select.replaceChildren(...codes.map(code => new Option(label(name, code), code)));
      if (codes.includes(current)) select.value = current;
    });
  }

  // -- errors next to their fields -------------------------------------------------------

  const Errors = {
    current: {}, // field path -> {key} (a text of ours) or {text} (the server's words)

    clear() {
      this.current = {};
      this.render(false);
    },

    put(path, error) {
      if (error) this.current[path] = error;
      else delete this.current[path];
      this.render(false);
    },

    set(fields) {
      this.current = {};
      for (const [path, message] of Object.entries(fields)) {
        this.current[path] = typeof message === "object" ? message : fromServer(path, message);
      }
      this.render(true);
    },

    render(focus) {
      document.querySelectorAll(".error").forEach(el => { if (el.id !== "withdraw-error") el.textContent = ""; });
      document.querySelectorAll("[aria-invalid]").forEach(el => el.removeAttribute("aria-invalid"));
      const summary = document.getElementById("error-summary");
      const items = [];
      for (const [path, error] of Object.entries(this.current)) {
        const id = targetOf(path);
        const text = error.key ? t(error.key, error.vars) : serverText(error.text);
        const slot = document.getElementById(`${id}-error`);
        const control = document.getElementById(id);
        if (slot) slot.textContent = text;
        if (control) control.setAttribute("aria-invalid", "true");
        items.push({ id, text, name: nameOf(id) });
      }
      summary.replaceChildren();
      if (!items.length) return;
      const heading = document.createElement("h2");
      heading.textContent = t("errors.title");
      const list = document.createElement("ul");
      for (const item of items) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${item.id}`;
        // A question ("Was your problem solved?") reads badly as a prefix: its error alone.
        const prefix = item.name && !/[?？]$/.test(item.name) ? `${item.name}${t("colon")}` : "";
        link.textContent = `${prefix}${item.text}`;
        link.addEventListener("click", event => { event.preventDefault(); focusField(item.id); });
        li.append(link);
        list.append(li);
      }
      summary.append(heading, list);
      if (!focus) return;
      if (document.getElementById(items[0].id)) focusField(items[0].id);
      else summary.focus();
    },
  };

  function fromServer(path, message) {
    const leaf = path.split(".").pop();
    if (path === "score") return { key: "err.score" };
    if (path === "solved") return { key: "err.solved" };
    if (/field required|at least 1 character/i.test(message)) {
      return { key: path === "category" ? "err.category" : "err.required" };
    }
    if (leaf === "email") return { key: "err.email" };
    if (leaf === "mobile" || leaf === "office_phone") return { key: "err.phone" };
    if (path === "complainant") return { key: "err.complainant" };
    if (path === "category") return { key: "err.category" };
    if (path === "people_affected") return { key: "err.people" };
    if (/date/i.test(message)) return { key: "err.date" };
    return { text: message };
  }

  function serverText(text) {
    return lang === "en" ? text : `${t("err.invalid")}${t("colon")}${text}`;
  }

  // "complainant.email" -> "complainant-email"; a path with no field of its own
  // ("attachments.0.filename") lands on its nearest ancestor that has one.
  function targetOf(path) {
    const parts = path.split(".");
    while (parts.length) {
      const id = parts.join("-");
      if (document.getElementById(`${id}-error`)) return id;
      parts.pop();
    }
    return "form";
  }

  function nameOf(id) {
    const el = document.getElementById(id);
    if (!el) return "";
    if (el.tagName === "FIELDSET") return el.querySelector("legend")?.textContent.replace(/\s*\*$/, "").trim() || "";
    const labelEl = document.querySelector(`label[for="${id}"]`);
    return labelEl ? labelEl.textContent.replace(/[*（(].*$/, "").trim() : "";
  }

  function focusField(id) {
    const el = document.getElementById(id);
    if (!el) return;
    const target = el.tagName === "FIELDSET" ? el.querySelector("input, select, textarea") || el : el;
    target.focus();
    el.scrollIntoView({ block: "center" });
  }

  function problem(response) {
    // A refusal that names no field goes to the summary, worded for a person.
    if (response.status === 0) return { form: { key: "err.network" } };
    if (response.status >= 500) return { form: { key: "err.server" } };
    const error = response.data.error || {};
    if (error.fields && Object.keys(error.fields).length) return error.fields;
    return { form: { key: "err.conflict", vars: { message: error.message || response.status } } };
  }

  // -- HTTP ------------------------------------------------------------------------------

  async function api(method, path, { body, token } = {}) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["X-Tracking-Token"] = token;
    if (method === "POST" && path === "/complaints") headers["Idempotency-Key"] = uuid();
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (_) {
      return { status: 0, data: {} };
    }
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
  }

  const path = number => `/complaints/${encodeURIComponent(number)}`;

  // -- attachments: ask, POST straight to storage, confirm -------------------------------

  function checkFiles(files, already = 0) {
    if (files.length + already > MAX_FILES) return { attachments: { key: "err.file_count" } };
    for (const file of files) {
      if (!ALLOWED_TYPES.includes(file.type)) {
        return { attachments: { key: "err.file_type", vars: { name: file.name } } };
      }
      if (file.size < 1 || file.size > MAX_BYTES) {
        return { attachments: { key: "err.file_size", vars: { name: file.name } } };
      }
    }
    return null;
  }

  async function uploadFile(number, token, file, show) {
    show("requesting");
    const grant = await api("POST", `${path(number)}/attachments`, {
      token, body: { filename: file.name, content_type: file.type, size_bytes: file.size },
    });
    if (grant.status !== 201) throw new Error(grant.data.error?.message || `HTTP ${grant.status}`);
    show("uploading");
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.data.upload.fields)) form.append(name, value);
    form.append("file", file); // storage wants the file last
    const stored = await fetch(grant.data.upload.url, { method: "POST", body: form });
    if (!stored.ok) throw new Error(`storage answered ${stored.status}`);
    const confirmed = await api("POST", grant.data.confirm_url, { token });
    if (confirmed.status !== 200) throw new Error(confirmed.data.error?.message || `HTTP ${confirmed.status}`);
    show("done");
  }

  async function uploadAll(number, token, files, list) {
    const rows = Array.from(files, file => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      const state = document.createElement("span");
      name.textContent = file.name;
      state.className = "state";
      li.append(name, state);
      list.append(li);
      const show = (code, detail) => {
        state.dataset.state = code;
        state.dataset.code = code;
        state.textContent = `${t(`upload.${code}`)}${detail ? `${t("colon")}${detail}` : ""}`;
      };
      show("waiting");
      return { file, show };
    });
    let failed = 0;
    for (const { file, show } of rows) {
      try {
        await uploadFile(number, token, file, show);
      } catch (error) {
        failed += 1;
        show("failed", error.message);
      }
    }
    return failed;
  }

  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function when(iso) {
    const locale = lang === "en" ? "en-GB" : "zh-CN";
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  }

  // -- where the tracking token is kept in this tab ---------------------------------------

  const Saved = {
    keep(number, token) {
      try {
        sessionStorage.setItem(`complaint-token:${number}`, token);
        sessionStorage.setItem("complaint-last", number);
      } catch (_) { /* not kept */ }
    },
    token(number) {
      try { return sessionStorage.getItem(`complaint-token:${number}`) || ""; } catch (_) { return ""; }
    },
    last() {
      try { return sessionStorage.getItem("complaint-last") || ""; } catch (_) { return ""; }
    },
  };

  // Take number and token from the query string, then drop the token from the address bar
  // so that it stays out of history and bookmarks.
  function fromQuery() {
    const url = new URL(location.href);
    // `n` and `t` are the short forms text messages use (two SMS segments are tight).
    const param = (long, short) => (url.searchParams.get(long) || url.searchParams.get(short) || "").trim();
    const number = param("number", "n");
    const token = param("token", "t");
    if (url.searchParams.has("token") || url.searchParams.has("t")) {
      url.searchParams.delete("token");
      url.searchParams.delete("t");
      history.replaceState(null, "", url);
    }
    return { number, token };
  }

  function value(form, name) {
    const el = form.elements.namedItem(name);
    const text = el ? String(el.value).trim() : "";
    return text || undefined;
  }

  function group(form, prefix, names) {
    const out = {};
    for (const name of names) {
      const v = value(form, `${prefix}.${name}`);
      if (v !== undefined) out[name] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }

  // -- the complaint form ----------------------------------------------------------------

  function formPage() {
    const form = document.getElementById("complaint-form");
    const anonymous = document.getElementById("complainant-anonymous");
    const files = document.getElementById("attachments");
    const submit = document.getElementById("submit");

    const syncAnonymous = () => {
      document.getElementById("contact-fields").hidden = anonymous.checked;
    };
    anonymous.addEventListener("change", syncAnonymous);
    syncAnonymous();

    files.addEventListener("change", () => {
      Errors.put("attachments", checkFiles(files.files)?.attachments);
    });

    form.addEventListener("submit", async event => {
      event.preventDefault();
      Errors.clear();
      const fileProblem = checkFiles(files.files);
      if (fileProblem) { Errors.set(fileProblem); return; }
      submit.disabled = true;
      submit.textContent = t("form.submitting");
      const body = complaintBody(form, files.files);
      const response = await api("POST", form.dataset.endpoint, { body });
      submit.disabled = false;
      submit.textContent = t("form.submit");
      if (response.status === 201) {
        await showReceipt(response.data, files.files);
      } else {
        Errors.set(problem(response));
      }
    });
  }

  function complaintBody(form, files) {
    const anonymous = document.getElementById("complainant-anonymous").checked;
    const complainant = {
      anonymous,
      confidential: document.getElementById("complainant-confidential").checked,
    };
    if (!anonymous) {
      Object.assign(complainant, group(form, "complainant",
        ["name", "mobile", "office_phone", "email", "address", "organisation",
          "contact_preference"]) || {});
    }
    const body = {
      kind: value(form, "kind"),
      category: value(form, "category"),
      problem_type: value(form, "problem_type"),
      severity: value(form, "severity"),
      priority: value(form, "priority"),
      subject: value(form, "subject"),
      description: value(form, "description"),
      desired_outcome: value(form, "desired_outcome"),
      department: value(form, "department"),
      required_completion_date: value(form, "required_completion_date"),
      product: group(form, "product",
        ["name", "model", "serial_number", "batch", "shipment_number", "shipped_on"]),
      respondent: group(form, "respondent", ["department", "person"]),
      location: group(form, "location", ["address_string"]),
      media_url: value(form, "media_url"),
      complainant,
      attachments: Array.from(files, file => ({
        filename: file.name, content_type: file.type, size_bytes: file.size,
      })),
      language: lang,
    };
    const people = value(form, "people_affected");
    if (people !== undefined) body.people_affected = /^\d+$/.test(people) ? Number(people) : people;
    return body;
  }

  async function showReceipt(receipt, files) {
    Saved.keep(receipt.number, receipt.tracking_token);
    document.getElementById("out-number").textContent = receipt.number;
    document.getElementById("out-token").textContent = receipt.tracking_token;
    const track = document.getElementById("track-link");
    track.href = `/track?number=${encodeURIComponent(receipt.number)}`;
    document.getElementById("complaint-form").hidden = true;
    const panel = document.getElementById("receipt");
    panel.hidden = false;
    panel.focus();
    if (files.length) {
      document.getElementById("upload-box").hidden = false;
      const list = document.getElementById("upload-list");
      await uploadAll(receipt.number, receipt.tracking_token, Array.from(files), list);
    }
  }

  // -- the tracking page -----------------------------------------------------------------

  function trackPage() {
    const lookup = document.getElementById("lookup-form");
    const numberInput = document.getElementById("number");
    const tokenInput = document.getElementById("token");
    let shown = null; // {view, files, number, token}

    const given = fromQuery();
    const number = given.number || Saved.last();
    numberInput.value = number;
    tokenInput.value = given.token || (number ? Saved.token(number) : "");

    async function load(focus) {
      Errors.clear();
      const missing = {};
      if (!numberInput.value.trim()) missing.number = { key: "err.required" };
      if (!tokenInput.value.trim()) missing.token = { key: "err.required" };
      if (Object.keys(missing).length) { Errors.set(missing); return; }
      const n = numberInput.value.trim();
      const token = tokenInput.value.trim();
      const [view, files] = await Promise.all([
        api("GET", path(n), { token }),
        api("GET", `${path(n)}/attachments`, { token }),
      ]);
      if (view.status === 404) { Errors.set({ token: { key: "track.not_found" } }); return; }
      if (view.status !== 200) { Errors.set(problem(view)); return; }
      Saved.keep(n, token);
      shown = { view: view.data, files: files.status === 200 ? files.data.items : [], number: n, token };
      renderCase();
      if (focus) document.getElementById("case").focus();
    }

    function renderCase() {
      if (!shown) return;
      const { view, files } = shown;
      document.getElementById("case").hidden = false;
      document.getElementById("case-number").textContent = view.number;
      const status = document.getElementById("case-status");
      status.textContent = label("status", view.status);
      status.dataset.status = view.status;
      document.getElementById("case-subject").textContent = view.subject;
      document.getElementById("case-kind").textContent = label("kind", view.kind);
      document.getElementById("case-category").textContent = label("category", view.category);
      const received = document.getElementById("case-received");
      received.dateTime = view.received_at;
      received.textContent = when(view.received_at);
      renderDeadlines(view.deadlines);
      renderTimeline(view.timeline);
      renderFiles(files);
      const open = !FINAL.includes(view.status);
      document.getElementById("upload-form").hidden = !open;
      document.getElementById("withdraw").hidden = !open;
      const survey = document.getElementById("survey-link");
      survey.hidden = view.status !== "resolved";
      survey.href = `/survey?number=${encodeURIComponent(view.number)}`;
    }

    function renderDeadlines(deadlines) {
      const list = document.getElementById("case-deadlines");
      list.replaceChildren();
      for (const [name, due] of Object.entries(deadlines || {})) {
        const dt = document.createElement("dt");
        const dd = document.createElement("dd");
        const time = document.createElement("time");
        dt.textContent = label("deadline", name);
        time.dateTime = due;
        time.textContent = when(due);
        dd.append(time);
        list.append(dt, dd);
      }
      list.hidden = list.children.length === 0;
      document.getElementById("no-deadlines").hidden = !list.hidden;
    }

    function renderTimeline(items) {
      const list = document.getElementById("case-timeline");
      list.replaceChildren(...items.map(item => {
        const li = document.createElement("li");
        const time = document.createElement("time");
        const what = document.createElement("strong");
        time.dateTime = item.at;
        time.textContent = when(item.at);
        what.textContent = label("event", item.event);
        li.append(time, what);
        for (const [key, raw] of Object.entries(item.details || {})) {
          const p = document.createElement("div");
          const shownValue = key === "new_due" ? when(raw) : raw;
          p.textContent = `${label("detail", key)}${t("colon")}${shownValue}`;
          li.append(p);
        }
        return li;
      }));
    }

    function renderFiles(files) {
      const list = document.getElementById("case-files");
      list.replaceChildren(...files.map(file => {
        const li = document.createElement("li");
        const state = document.createElement("span");
        state.className = "state";
        state.dataset.state = file.uploaded ? "done" : "pending";
        state.textContent = t(file.uploaded ? "upload.done" : "upload.pending");
        li.append(`${file.filename} (${sizeText(file.size_bytes)})`, state);
        return li;
      }));
      document.getElementById("no-files").hidden = files.length > 0;
    }

    lookup.addEventListener("submit", event => { event.preventDefault(); load(true); });

    const uploadForm = document.getElementById("upload-form");
    const fileInput = document.getElementById("attachments");
    uploadForm.addEventListener("submit", async event => {
      event.preventDefault();
      Errors.clear();
      const chosen = Array.from(fileInput.files);
      const fileProblem = chosen.length
        ? checkFiles(chosen, shown.files.length)
        : { attachments: { key: "err.required" } };
      if (fileProblem) { Errors.set(fileProblem); return; }
      const button = document.getElementById("upload");
      button.disabled = true;
      const list = document.getElementById("upload-list");
      list.replaceChildren();
      const failed = await uploadAll(shown.number, shown.token, chosen, list);
      button.disabled = false;
      fileInput.value = "";
      await load(false);
      if (!failed) {
        list.replaceChildren(); // the files list above now shows them
        notice("track.uploaded");
      }
    });

    const dialog = document.getElementById("withdraw-dialog");
    document.getElementById("withdraw").addEventListener("click", () => {
      document.getElementById("withdraw-error").textContent = "";
      dialog.showModal();
    });
    document.getElementById("withdraw-cancel").addEventListener("click", () => dialog.close());
    document.getElementById("withdraw-confirm").addEventListener("click", async () => {
      const reason = document.getElementById("withdraw-reason").value.trim();
      const response = await api("POST", `${path(shown.number)}/withdraw`, {
        token: shown.token, body: reason ? { reason } : {},
      });
      if (response.status !== 200) {
        const error = response.data.error || {};
        document.getElementById("withdraw-error").textContent =
          t("err.conflict", { message: error.message || response.status });
        return;
      }
      dialog.close();
      await load(false);
      notice("track.withdrawn");
    });

    function notice(key) {
      const box = document.getElementById("case-notice");
      box.dataset.key = key;
      box.textContent = t(key);
      box.hidden = false;
      box.setAttribute("tabindex", "-1");
      box.focus();
    }

    onLanguage.push(() => {
      renderCase();
      const box = document.getElementById("case-notice");
      if (!box.hidden && box.dataset.key) box.textContent = t(box.dataset.key);
    });
    if (numberInput.value && tokenInput.value) load(false);
  }

  // -- the survey page -------------------------------------------------------------------

  function surveyPage() {
    const form = document.getElementById("survey-form");
    const given = fromQuery();
    const number = given.number || Saved.last();
    const token = given.token || (number ? Saved.token(number) : "");
    document.getElementById("number").value = number;
    document.getElementById("token").value = token;
    if (!number || !token) document.getElementById("link-fields").hidden = false;
    let result = null;

    const intro = () => {
      const n = document.getElementById("number").value.trim();
      document.getElementById("survey-intro").textContent =
        n ? t("survey.intro.number", { number: n }) : t("survey.intro");
    };
    intro();

    form.addEventListener("submit", async event => {
      event.preventDefault();
      Errors.clear();
      const n = document.getElementById("number").value.trim();
      const tok = document.getElementById("token").value.trim();
      const missing = {};
      if (!n) missing.number = { key: "err.required" };
      if (!tok) missing.token = { key: "err.required" };
      if (Object.keys(missing).length) {
        document.getElementById("link-fields").hidden = false;
        Errors.set(missing);
        return;
      }
      const body = {};
      const score = form.querySelector("input[name=score]:checked");
      const solved = form.querySelector("input[name=solved]:checked");
      if (score) body.score = Number(score.value);
      if (solved) body.solved = solved.value === "true";
      const comment = document.getElementById("comment").value.trim();
      if (comment) body.comment = comment;
      const button = document.getElementById("send");
      button.disabled = true;
      const response = await api("POST", `${path(n)}/survey`, { token: tok, body });
      button.disabled = false;
      if (response.status === 200) {
        result = { number: n, data: response.data };
        showResult();
        return;
      }
      if (response.status === 404) {
        document.getElementById("link-fields").hidden = false;
        Errors.set({ token: { key: "survey.bad_link" } });
      } else if (response.status === 409) {
        Errors.set({ form: { key: "survey.not_waiting" } });
      } else {
        Errors.set(problem(response));
      }
    });

    document.getElementById("sms-optout").addEventListener("click", async () => {
      Errors.clear();
      const n = document.getElementById("number").value.trim();
      const tok = document.getElementById("token").value.trim();
      if (!n || !tok) {
        document.getElementById("link-fields").hidden = false;
        const missing = {};
        if (!n) missing.number = { key: "err.required" };
        if (!tok) missing.token = { key: "err.required" };
        Errors.set(missing);
        return;
      }
      const response = await api("POST", `${path(n)}/sms-opt-out`, { token: tok, body: {} });
      if (response.status === 200) {
        const key = response.data.sms === "opted_out" ? "survey.optout.done" : "survey.optout.none";
        const box = document.getElementById("optout-result");
        box.dataset.key = key;
        box.textContent = t(key);
      } else if (response.status === 404) {
        document.getElementById("link-fields").hidden = false;
        Errors.set({ token: { key: "survey.bad_link" } });
      } else {
        Errors.set(problem(response));
      }
    });

    function showResult() {
      if (!result) return;
      form.hidden = true;
      const done = document.getElementById("survey-done");
      const text = result.data.recomplaint
        ? t("survey.recomplaint", {
            new: result.data.recomplaint,
            token: result.data.recomplaint_token,
          })
        : t("survey.thanks", { number: result.number });
      document.getElementById("survey-result").textContent = text;
      document.getElementById("survey-track").href = `/track?number=${encodeURIComponent(result.number)}`;
      const wasHidden = done.hidden;
      done.hidden = false;
      if (wasHidden) done.focus();
    }

    onLanguage.push(() => {
      intro();
      showResult();
      const box = document.getElementById("optout-result");
      if (box.dataset.key) box.textContent = t(box.dataset.key);
    });
  }

  // -- start -----------------------------------------------------------------------------

  const PAGES = { form: formPage, track: trackPage, survey: surveyPage };

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("lang-toggle").addEventListener("click", switchLanguage);
    applyLanguage();
    PAGES[document.body.dataset.page]?.();
  });
})();
