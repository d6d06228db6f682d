// Customer 360 (right column): orders with lines and shipments, returns and
// refunds, survey answers, earlier conversations; and the agent's actions
// on them (resend tracking, cancel, start a return). The hub applies the
// same rules as the bot and answers a refusal with a message shown as is.

import {
  act,
  api,
  byTestId,
  codes,
  el,
  fill,
  formatDay,
  formatMoment,
  formatMoney,
  label,
  safeUrl,
  showError,
  showNotice,
  t,
} from "./dom.js";

export class CustomerPanel {
  /**
   * @param {object} hooks  onOpenConversation(senderId); senderId(): the chat
   *   open beside the panel, where tracking and notices are posted.
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.body = byTestId("customer-body");
    this.customerId = null;
  }

  clear() {
    this.customerId = null;
    fill(
      this.body,
      el("p", { class: "placeholder", testid: "customer-none", text: t("console_no_customer") }),
    );
  }

  async load(customerId) {
    if (customerId === null || customerId === undefined) {
      this.clear();
      return;
    }
    this.customerId = customerId;
    const overview = await api("GET", `/agent/api/customers/${encodeURIComponent(customerId)}`);
    if (this.customerId === customerId) this.render(overview);
  }

  async reload() {
    if (this.customerId !== null) await this.load(this.customerId);
  }

  render(overview) {
    const customer = overview.customer ?? {};
    fill(
      this.body,
      el(
        "div",
        {
          class: "customer-card",
          testid: "customer-card",
          dataset: { customerId: String(customer.id) },
        },
        el("h3", {
          testid: "customer-name",
          text: `${customer.first_name ?? ""} ${customer.last_name ?? ""}`,
        }),
        el("p", {
          text: [customer.email, customer.phone, String(customer.language ?? "").toUpperCase()]
            .filter(Boolean)
            .join(" · "),
        }),
      ),
      this.section("console_orders", "customer-orders", overview.orders, (order) =>
        this.orderNode(order),
      ),
      this.section(
        "console_returns",
        "customer-returns",
        [...(overview.returns ?? []), ...(overview.other_refunds ?? [])],
        (item) => (item.rma ? this.returnNode(item) : this.refundNode(item)),
      ),
      this.section("console_surveys", "customer-surveys", overview.surveys, (survey) =>
        this.surveyNode(survey),
      ),
      this.section(
        "console_conversations",
        "customer-conversations",
        overview.conversations,
        (item) => this.conversationNode(item),
      ),
    );
  }

  section(titleKey, testid, items, draw) {
    const list = items ?? [];
    return el(
      "section",
      { class: "customer-section", testid },
      el("h3", { text: t(titleKey) }),
      list.length
        ? el("ul", {}, list.map(draw))
        : el("p", { class: "muted", text: t("console_none") }),
    );
  }

  orderNode(order) {
    const buttons = [];
    if ((order.shipments ?? []).length) {
      const resend = el("button", {
        type: "button",
        testid: "resend-tracking-button",
        text: t("console_resend_tracking"),
        onclick: () =>
          act(resend, async () => {
            const resent = await api(
              "POST",
              `/agent/api/orders/${encodeURIComponent(order.number)}/resend-tracking`,
              { sender_id: this.hooks.senderId() },
            );
            // No chat open (phone, ticket): the agent reads the text out instead.
            showNotice(resent?.posted === false ? resent.text : t("console_tracking_sent"));
          }),
      });
      buttons.push(resend);
    }
    if (order.cancellable) buttons.push(this.cancelButton(order));
    return el(
      "li",
      {
        class: "order",
        testid: "order",
        dataset: { orderNumber: order.number, status: order.status },
      },
      el(
        "div",
        { class: "order-head" },
        el("strong", { text: t("console_order", { number: order.number }) }),
        el("span", {
          class: "badge",
          testid: "order-status",
          text: label("status_", order.status),
        }),
      ),
      el("p", {
        class: "muted",
        text: [
          t("console_placed", { day: formatDay(order.placed_at) }),
          formatMoney(order.total, order.currency),
          order.return_deadline
            ? t("console_return_until", { day: formatDay(order.return_deadline) })
            : null,
        ]
          .filter(Boolean)
          .join(" · "),
      }),
      el(
        "ul",
        { class: "order-lines" },
        (order.lines ?? []).map((line) => this.lineNode(order, line)),
      ),
      (order.shipments ?? []).map((shipment) => this.shipmentNode(shipment)),
      buttons.length ? el("div", { class: "order-actions" }, buttons) : null,
    );
  }

  cancelButton(order) {
    const confirm = el("button", {
      type: "button",
      class: "danger",
      testid: "confirm-cancel-button",
      hidden: true,
      text: t("console_confirm_cancel"),
      onclick: () =>
        act(confirm, async () => {
          const result = await api(
            "POST",
            `/agent/api/orders/${encodeURIComponent(order.number)}/cancel`,
            { sender_id: this.hooks.senderId() },
          );
          if (result && result.allowed === false) {
            showError(t("console_cancel_refused", { reason: label("refusal_", result.reason) }));
          } else {
            showNotice(t("console_order_cancelled"));
          }
          await this.reload();
        }),
    });
    // Two clicks: cancelling cannot be undone, and a dialog box would block tests.
    const cancel = el("button", {
      type: "button",
      testid: "cancel-order-button",
      text: t("console_cancel_order"),
      onclick: () => {
        cancel.hidden = true;
        confirm.hidden = false;
      },
    });
    return el("span", {}, cancel, confirm);
  }

  lineNode(order, line) {
    const text = `${line.quantity} × ${line.name} (${line.sku}) · ${formatMoney(line.unit_price)}`;
    const node = el(
      "li",
      { class: "order-line", testid: "order-line", dataset: { sku: line.sku } },
      el("span", { text }),
    );
    if (!line.returnable) {
      if (line.refusal)
        node.append(el("span", { class: "muted", text: ` · ${label("refusal_", line.refusal)}` }));
      return node;
    }
    const form = this.returnForm(order, line);
    const start = el("button", {
      type: "button",
      class: "small",
      testid: "start-return-button",
      text: t("console_start_return"),
      onclick: () => {
        form.hidden = !form.hidden;
      },
    });
    node.append(" ", start, form);
    return node;
  }

  returnForm(order, line) {
    const quantity = el("input", {
      type: "number",
      min: "1",
      max: String(line.returnable_quantity ?? line.quantity),
      value: String(line.returnable_quantity ?? line.quantity),
      required: true,
      testid: "return-quantity",
    });
    const reason = el(
      "select",
      { testid: "return-reason", required: true },
      codes("reason_").map((code) => el("option", { value: code, text: label("reason_", code) })),
    );
    const resolution = el(
      "select",
      { testid: "return-resolution" },
      el("option", { value: "refund", text: t("console_refund") }),
      el("option", { value: "exchange", text: t("console_exchange") }),
    );
    const submit = el("button", {
      type: "submit",
      testid: "return-submit",
      text: t("console_open_return"),
    });
    const form = el(
      "form",
      { class: "return-form", testid: "return-form", hidden: true },
      el("label", {}, t("console_quantity"), " ", quantity),
      el("label", {}, t("console_return_reason"), " ", reason),
      el("label", {}, resolution),
      submit,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(submit, async () => {
        const opened = await api("POST", "/agent/api/returns", {
          order_number: order.number,
          sku: line.sku,
          quantity: Number(quantity.value),
          reason: reason.value,
          resolution: resolution.value,
          sender_id: this.hooks.senderId(),
        });
        const href = safeUrl(opened.label_url);
        showNotice(
          t("console_return_opened", { rma: opened.rma }),
          " ",
          href
            ? el("a", {
                href,
                target: "_blank",
                rel: "noopener",
                testid: "return-label-link",
                text: t("label_title"),
              })
            : "",
        );
        await this.reload();
      });
    });
    return form;
  }

  shipmentNode(shipment) {
    const href = safeUrl(shipment.tracking_url);
    const number = href
      ? el("a", {
          href,
          target: "_blank",
          rel: "noopener noreferrer",
          testid: "tracking-link",
          text: shipment.tracking_number,
        })
      : el("span", { testid: "tracking-number", text: shipment.tracking_number });
    const dates = [
      shipment.delivered_at
        ? t("console_delivered", { day: formatDay(shipment.delivered_at) })
        : null,
      !shipment.delivered_at && shipment.promised_on
        ? t("console_promised", { day: formatDay(shipment.promised_on) })
        : null,
    ].filter(Boolean);
    return el(
      "div",
      { class: "shipment", testid: "shipment" },
      el(
        "p",
        {},
        shipment.direction === "return" ? "↩ " : "",
        `${shipment.carrier_name ?? shipment.carrier} · `,
        number,
        ` · ${label("status_", shipment.status)}`,
        dates.length ? ` · ${dates.join(" · ")}` : "",
      ),
      (shipment.events ?? []).length
        ? el(
            "ol",
            { class: "shipment-events" },
            shipment.events.map((event) =>
              el(
                "li",
                {},
                el("time", { text: formatMoment(event.at) }),
                ` ${event.description}`,
                event.location ? ` (${event.location})` : "",
              ),
            ),
          )
        : null,
    );
  }

  returnNode(item) {
    const refund = item.refund_status
      ? t("console_refund_line", {
          status: label("status_", item.refund_status),
          amount: formatMoney(item.refund_amount),
        })
      : "";
    return el(
      "li",
      { testid: "customer-return", dataset: { rma: item.rma } },
      el("strong", { text: item.rma }),
      ` · ${t("console_order", { number: item.order_number })} · ${label("status_", item.status)} · ${formatDay(item.created_at)}`,
      refund ? el("div", { class: "muted", text: refund }) : null,
    );
  }

  refundNode(refund) {
    return el(
      "li",
      { testid: "customer-refund" },
      `${t("console_order", { number: refund.order_number })} · `,
      t("console_refund_line", {
        status: label("status_", refund.status),
        amount: formatMoney(refund.amount),
      }),
      ` · ${formatDay(refund.requested_at)}`,
    );
  }

  surveyNode(survey) {
    const scores = [
      survey.csat !== null && survey.csat !== undefined ? `CSAT ${survey.csat}/5` : null,
      survey.nps !== null && survey.nps !== undefined ? `NPS ${survey.nps}/10` : null,
      survey.ces !== null && survey.ces !== undefined ? `CES ${survey.ces}` : null,
    ].filter(Boolean);
    return el(
      "li",
      { testid: "customer-survey" },
      [
        survey.order_number ? t("console_order", { number: survey.order_number }) : null,
        ...scores,
        formatDay(survey.answered_at),
      ]
        .filter(Boolean)
        .join(" · "),
      survey.comment ? el("blockquote", { text: survey.comment }) : null,
    );
  }

  conversationNode(item) {
    const open = el("button", {
      type: "button",
      class: "link",
      testid: "earlier-conversation",
      text: formatMoment(item.started_at),
      onclick: () => act(open, () => this.hooks.onOpenConversation(item.sender_id)),
    });
    const resolved = item.resolved_by
      ? ` · ${t("console_resolved_by", { who: label("console_", item.resolved_by) })}`
      : "";
    return el(
      "li",
      { dataset: { senderId: item.sender_id } },
      open,
      ` · ${label("status_", item.status)}${resolved}`,
    );
  }
}
