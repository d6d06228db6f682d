// The ops dashboard: fetches each section of /ops/api for the chosen dates,
// draws the cards, the charts (Chart.js, served from node_modules by the hub)
// and the tables, each table with its CSV link. Every word comes from the
// page (bot/ops_texts.py), in the page's language, and so do the names of
// the codes in the data (carriers, reasons...: bot/messages.py; topics:
// config/survey_topics.yml; see `named`). The CSV files keep the codes.

const T = JSON.parse(document.getElementById("ops-texts").textContent);
const LANG = document.body.dataset.language || "fr";
const LOCALE = LANG === "en" ? "en-GB" : "fr-FR";
const charts = new Map();

const t = (key, values = {}) =>
  (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
// A code's name in the page's language (T["carrier_mondial_relay"]), or the
// code itself when the catalogue has none (a new carrier, a topic just added
// to config/survey_topics.yml); no code at all: T[prefix + "none"] or a dash.
const named = (prefix, code) =>
  code === null || code === undefined || code === ""
    ? T[`${prefix}none`] ?? "–"
    : T[`${prefix}${code}`] ?? String(code);
// A resolution channel's key, "chat_end:bot" or "email:", as "End of chat · solved by the bot".
const channelName = (key) => {
  const [channel, resolution] = String(key ?? "").split(":");
  const name = named("channel_", channel);
  return resolution ? `${name} · ${named("resolution_", resolution)}` : name;
};
const pct = (rate) =>
  rate && rate.value !== null && rate.value !== undefined
    ? `${(rate.value * 100).toLocaleString(LOCALE, { maximumFractionDigits: 1 })} %`
    : "–";
const num = (value, digits = 1) =>
  value === null || value === undefined
    ? "–"
    : Number(value).toLocaleString(LOCALE, { maximumFractionDigits: digits });
const money = (value) =>
  value === null || value === undefined
    ? "–"
    : Number(value).toLocaleString(LOCALE, { style: "currency", currency: "EUR" });
const day = (iso) => (iso ? new Date(`${iso}T12:00:00`).toLocaleDateString(LOCALE) : "");
// Outbound and return carrier charges over the orders (None without orders).
const perOrder = (cost) =>
  cost.orders ? (Number(cost.outbound_cost) + Number(cost.return_cost)) / cost.orders : null;
const ofWhole = (rate) => (rate ? t("ops_of", { part: rate.numerator, whole: rate.denominator }) : "");

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function range() {
  const form = document.querySelector("[data-testid=ops-range]");
  return { start: form.start.value, end: form.end.value };
}

function query() {
  const { start, end } = range();
  return `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`;
}

async function load(section) {
  const response = await fetch(`/ops/api/${section}?${query()}`, { credentials: "same-origin" });
  if (response.status === 401) {
    window.location.href = `/agent/login?lang=${LANG}`;
    throw new Error("login");
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

function card(label, value, detail, testid) {
  return el("div", { class: "ops-card", "data-testid": testid }, [
    el("span", { class: "ops-card-label", text: label }),
    el("strong", { class: "ops-card-value", text: value }),
    el("span", { class: "ops-card-detail", text: detail || "" }),
  ]);
}

function draw(id, type, labels, datasets, options = {}) {
  const canvas = document.getElementById(id);
  if (!canvas || !window.Chart) return;
  charts.get(id)?.destroy();
  charts.set(
    id,
    new window.Chart(canvas, {
      type,
      data: { labels, datasets },
      options: { responsive: true, animation: false, maintainAspectRatio: false, ...options },
    }),
  );
  canvas.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
}

const percentAxis = { y: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } } };
const asPercent = (rate) => (rate && rate.value !== null ? Math.round(rate.value * 1000) / 10 : null);

// A table: columns are [title, (row) => text]; a CSV link to the same rows.
function table(section, name, title, rows, columns) {
  const csv = `/ops/api/${section}/${name}.csv?${query()}`;
  const head = el("tr", {}, columns.map(([label]) => el("th", { text: label })));
  const body = rows.length
    ? rows.map((row) =>
        el("tr", {}, columns.map(([, cell]) => {
          const value = cell(row);
          return value instanceof Node ? el("td", {}, [value]) : el("td", { text: value ?? "" });
        })),
      )
    : [el("tr", {}, [el("td", { colspan: String(columns.length), text: t("ops_none") })])];
  return el("div", { class: "ops-table", "data-table": `${section}.${name}` }, [
    el("div", { class: "ops-table-head" }, [
      el("h4", { text: title }),
      el("a", { href: csv, download: "", "data-testid": `csv-${section}-${name}`, text: t("ops_csv") }),
    ]),
    el("table", {}, [el("thead", {}, [head]), el("tbody", {}, body)]),
  ]);
}

function fill(selector, nodes) {
  const box = document.querySelector(selector);
  box.replaceChildren(...nodes);
}

// The columns of a breakdown's table; `name` turns a slice's key into words.
function satisfactionFigures(label, name) {
  return [
    [label, (row) => name(row.key)],
    [t("ops_answers"), (row) => num(row.figures.answers, 0)],
    [t("ops_csat"), (row) => pct(row.figures.csat)],
    [t("ops_nps"), (row) => num(row.figures.nps.score, 0)],
    [t("ops_ces"), (row) => num(row.figures.ces.average)],
  ];
}

function renderSatisfaction(data) {
  const { figures, response_rate: responseRate } = data.overview;
  fill("[data-testid=satisfaction-cards]", [
    card(t("ops_csat"), pct(figures.csat), ofWhole(figures.csat), "card-csat"),
    card(t("ops_nps"), num(figures.nps.score, 0), t("ops_of", { part: figures.nps.answered, whole: figures.answers }), "card-nps"),
    card(t("ops_ces"), num(figures.ces.average), "", "card-ces"),
    card(t("ops_response_rate"), pct(responseRate), ofWhole(responseRate), "card-response-rate"),
  ]);
  const weeks = data.weekly.map((w) => day(w.week));
  draw("chart-satisfaction", "line", weeks, [
    { label: t("ops_csat"), data: data.weekly.map((w) => asPercent(w.figures.csat)), yAxisID: "y" },
    { label: t("ops_nps"), data: data.weekly.map((w) => w.figures.nps.score), yAxisID: "nps" },
  ], { scales: { ...percentAxis, nps: { position: "right", min: -100, max: 100 } } });
}

function renderBreakdowns(data) {
  const carrier = (key) => named("carrier_", key);
  const category = (key) => named("category_", key);
  const language = (key) => named("language_", key);
  const bars = (id, rows, name) =>
    draw(id, "bar", rows.map((r) => name(r.key)), [
      { label: t("ops_csat"), data: rows.map((r) => asPercent(r.figures.csat)) },
    ], { scales: percentAxis });
  bars("chart-sat-carrier", data.by_carrier, carrier);
  bars("chart-sat-category", data.by_category, category);
  bars("chart-sat-channel", data.by_channel, channelName);
  fill("[data-tables=breakdowns]", [
    table("breakdowns", "by_carrier", t("ops_by_carrier"), data.by_carrier, satisfactionFigures(t("ops_carrier"), carrier)),
    table("breakdowns", "by_category", t("ops_by_category"), data.by_category, satisfactionFigures(t("ops_category"), category)),
    table("breakdowns", "by_language", t("ops_by_language"), data.by_language, satisfactionFigures(t("ops_language"), language)),
    table("breakdowns", "by_channel", t("ops_by_channel"), data.by_channel, satisfactionFigures(t("ops_channel"), channelName)),
  ]);
}

function renderTopics(data) {
  fill("[data-tables=topics]", [
    table("topics", "topics", t("ops_topics"), data.topics, [
      [t("ops_topic"), (r) => named("topic_", r.topic)],
      [t("ops_answers"), (r) => num(r.answers, 0)],
      [t("ops_negative"), (r) => `${pct(r.negative)} (${ofWhole(r.negative)})`],
      [t("ops_examples"), (r) => r.examples.map((e) => `« ${e.comment} »`).join(" · ")],
    ]),
  ]);
}

async function followUp(row, button) {
  button.disabled = true;
  const response = await fetch(`/ops/api/detractors/${row.response_id}/follow-up`, {
    method: "POST",
    credentials: "same-origin",
  });
  const body = await response.json();
  if (!response.ok) {
    button.disabled = false;
    showError(body.message || response.statusText);
    return;
  }
  button.replaceWith(el("span", { class: "ops-done", "data-testid": `follow-up-done-${row.response_id}`, text: t("ops_follow_up_done") }));
}

function renderDetractors(data) {
  const page = data.detractors;
  fill("[data-tables=detractors]", [
    table("detractors", "detractors.items", t("ops_detractors"), page.items, [
      [t("ops_customer"), (r) => r.customer_name || "–"],
      [t("ops_order"), (r) => r.order_number || "–"],
      [t("ops_carrier"), (r) => (r.carrier ? named("carrier_", r.carrier) : "–")],
      [t("ops_scores"), (r) => `CSAT ${r.csat ?? "–"} · NPS ${r.nps ?? "–"} · CES ${r.ces ?? "–"}`],
      [t("ops_comment"), (r) => r.comment || ""],
      ["", (r) =>
        r.follow_up_handoff_id
          ? el("span", { class: "ops-done", text: t("ops_follow_up_done") })
          : el("button", {
              type: "button",
              "data-testid": `follow-up-${r.response_id}`,
              text: t("ops_follow_up"),
              onclick: (event) => followUp(r, event.currentTarget),
            })],
    ]),
  ]);
}

function renderLogistics(data) {
  const { on_time: onTime, preparation, delivery_time: delivery, costs } = data;
  fill("[data-testid=logistics-cards]", [
    card(t("ops_on_time"), pct(onTime.overall), ofWhole(onTime.overall), "card-on-time"),
    card(t("ops_preparation"), num(preparation.overall.average_hours), "", "card-preparation"),
    card(t("ops_delivery_days"), num(delivery.average_days), "", "card-delivery"),
    card(t("ops_cost_per_order"), money(perOrder(costs.overall)), "", "card-cost"),
  ]);
  draw("chart-on-time", "line", onTime.weekly.map((w) => day(w.week)), [
    { label: t("ops_on_time"), data: onTime.weekly.map((w) => asPercent(w.rate)) },
  ], { scales: percentAxis });
  draw("chart-on-time-carrier", "bar", onTime.by_carrier.map((c) => named("carrier_", c.carrier)), [
    { label: t("ops_on_time"), data: onTime.by_carrier.map((c) => asPercent(c.rate)) },
  ], { scales: percentAxis });
  draw("chart-costs", "bar", costs.monthly.map((m) => m.month.slice(0, 7)), [
    { label: t("ops_outbound"), data: costs.monthly.map((m) => Number(m.cost.outbound_per_order ?? 0)) },
    { label: t("ops_return_cost"), data: costs.monthly.map((m) => Number(m.cost.return_per_order ?? 0)) },
  ], { scales: { x: { stacked: true }, y: { stacked: true } } });
  fill("[data-tables=logistics]", [
    table("logistics", "on_time.by_carrier", t("ops_on_time"), onTime.by_carrier, [
      [t("ops_carrier"), (r) => named("carrier_", r.carrier)],
      [t("ops_rate"), (r) => pct(r.rate)],
      ["", (r) => ofWhole(r.rate)],
    ]),
    table("logistics", "delivery_time.by_carrier", t("ops_delivery_days"), delivery.by_carrier, [
      [t("ops_carrier"), (r) => named("carrier_", r.carrier)],
      [t("ops_delivery_days"), (r) => num(r.average_days)],
      ["", (r) => num(r.deliveries, 0)],
    ]),
    table("logistics", "costs.by_carrier", t("ops_costs_carrier"), costs.by_carrier, [
      [t("ops_carrier"), (r) => named("carrier_", r.carrier)],
      [t("ops_cost_per_order"), (r) => money(perOrder(r.cost))],
      [t("ops_outbound"), (r) => money(r.cost.outbound_cost)],
      [t("ops_return_cost"), (r) => money(r.cost.return_cost)],
    ]),
    table("logistics", "costs.monthly", t("ops_costs_monthly"), costs.monthly, [
      [t("ops_month"), (r) => r.month.slice(0, 7)],
      [t("ops_cost_per_order"), (r) => money(perOrder(r.cost))],
      [t("ops_outbound"), (r) => money(r.cost.outbound_cost)],
      [t("ops_return_cost"), (r) => money(r.cost.return_cost)],
    ]),
  ]);
}

function productName(r) {
  return LANG === "en" ? r.name_en : r.name_fr;
}

function renderProducts(data) {
  const { returns, stock_outs: stockOuts } = data;
  draw("chart-stock-outs", "line", stockOuts.weekly.map((w) => day(w.week)), [
    { label: t("ops_stock_outs"), data: stockOuts.weekly.map((w) => asPercent(w.rate)) },
  ]);
  fill("[data-tables=products]", [
    table("products", "returns.products", `${t("ops_return_rate")} · ${pct(returns.overall)}`, returns.products, [
      [t("ops_product"), productName],
      [t("ops_return_rate"), (r) => `${pct(r.rate)} (${ofWhole(r.rate)})`],
      [t("ops_top_reasons"), (r) => r.reasons.map((x) => `${named("reason_", x.reason)} (${x.units})`).join(", ")],
    ]),
    table("products", "stock_outs.products", `${t("ops_stock_outs")} · ${pct(stockOuts.overall)}`, stockOuts.products, [
      [t("ops_product"), productName],
      [t("ops_rate"), (r) => `${pct(r.rate)} (${ofWhole(r.rate)})`],
    ]),
  ]);
}

function renderSupport(data) {
  const { containment, where_is_my_order: wismo, first_response: first, notice_effect: notice } = data;
  fill("[data-testid=support-cards]", [
    card(t("ops_conversations"), num(containment.conversations, 0), "", "card-conversations"),
    card(t("ops_containment"), pct(containment.contained), ofWhole(containment.contained), "card-containment"),
    card(t("ops_wismo"), num(wismo.per_100_orders), t("ops_of", { part: wismo.contacts, whole: wismo.orders }), "card-wismo"),
    card(t("ops_first_response"), num(first.overall.median_minutes), "", "card-first-response"),
  ]);
  draw("chart-containment", "line", containment.weekly.map((w) => day(w.week)), [
    { label: t("ops_containment"), data: containment.weekly.map((w) => asPercent(w.rate)) },
  ], { scales: percentAxis });
  fill("[data-tables=support]", [
    table("support", "containment.handoffs_by_reason", t("ops_handoff_reasons"), containment.handoffs_by_reason, [
      [t("ops_reason"), (r) => named("handoff_", r.reason)],
      [t("ops_rate"), (r) => pct(r.rate)],
      ["", (r) => ofWhole(r.rate)],
    ]),
    table("support", "first_response.by_agent", t("ops_agents"), first.by_agent, [
      [t("ops_agent"), (r) => r.agent_name],
      [t("ops_first_response"), (r) => num(r.minutes.median_minutes)],
      ["", (r) => num(r.minutes.answered, 0)],
    ]),
    el("p", { class: "ops-notice-effect", "data-testid": "notice-effect" }, [
      `${t("ops_notice_effect")} — ${t("ops_notified")} : ${pct(notice.notified)} (${ofWhole(notice.notified)}) · `,
      `${t("ops_not_notified")} : ${pct(notice.not_notified)} (${ofWhole(notice.not_notified)})`,
    ]),
  ]);
}

function renderAlerts(data) {
  const list = document.querySelector("[data-testid=alerts]");
  list.replaceChildren(
    ...(data.alerts.length
      ? data.alerts.map((a) =>
          el("li", {
            class: `ops-alert ops-alert-${a.kind}`,
            text: t(`ops_alert_${a.kind}`, {
              // a carrier by its name, a département by its number, a product
              // by its name in the page's language
              label:
                a.kind === "carrier_on_time"
                  ? named("carrier_", a.subject)
                  : a.kind === "region_on_time"
                    ? a.subject
                    : a.names?.[LANG] ?? a.label,
              current: `${num(a.current * 100)} %`,
              usual: a.usual === null ? "–" : `${num(a.usual * 100)} %`,
              threshold: `${num(a.threshold * 100)} %`,
              volume: a.volume,
            }),
          }),
        )
      : [el("li", { class: "ops-calm", text: t("ops_no_alert") })]),
  );
}

function showError(text) {
  const box = document.querySelector("[data-testid=ops-error]");
  box.textContent = t("ops_failed", { error: text });
  box.hidden = false;
}

const RENDER = {
  alerts: renderAlerts,
  satisfaction: renderSatisfaction,
  breakdowns: renderBreakdowns,
  topics: renderTopics,
  detractors: renderDetractors,
  logistics: renderLogistics,
  products: renderProducts,
  support: renderSupport,
};

async function refresh() {
  document.querySelector("[data-testid=ops-error]").hidden = true;
  const { start, end } = range();
  if (end < start) {
    const box = document.querySelector("[data-testid=ops-error]");
    box.textContent = t("ops_bad_range");
    box.hidden = false;
    return;
  }
  document.body.dataset.loading = "true";
  await Promise.all(
    Object.entries(RENDER).map(async ([section, render]) => {
      try {
        render(await load(section));
      } catch (error) {
        if (error.message !== "login") showError(`${section}: ${error.message}`);
      }
    }),
  );
  document.body.dataset.loading = "false";
  document.body.dataset.loaded = `${range().start}/${range().end}`;
}

document.querySelector("[data-testid=ops-range]").addEventListener("submit", (event) => {
  event.preventDefault();
  refresh();
});
refresh();
