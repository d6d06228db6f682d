// The live queue (left column): conversations waiting for a person, and the
// agent's own. The hub says when the queue changed (a `queue` event with no
// payload) and the console fetches it again; waiting times tick here between.

import { act, api, byTestId, el, fill, formatDuration, label, t } from "./dom.js";

export class Queue {
  /**
   * @param {object} hooks  onOpen(detail): show a conversation returned by the
   *   API; onPreview(senderId): open one without accepting it.
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.agents = [];
    this.items = { waiting: [], mine: [] };
  }

  setAgents(agents) {
    this.agents = Array.isArray(agents) ? agents : [];
  }

  async refresh() {
    this.render(await api("GET", "/agent/api/queue"));
  }

  /** Draw both lists from a `{waiting, mine}` snapshot. */
  render(snapshot) {
    const now = Date.now();
    for (const part of ["waiting", "mine"]) {
      const items = snapshot?.[part] ?? [];
      this.items[part] = items;
      const list = byTestId(`queue-${part}`);
      fill(
        list,
        ...(items.length
          ? items.map((item) => this.itemNode(item, part, now))
          : [el("li", { class: "queue-empty", text: t("console_nobody") })]),
      );
    }
  }

  /** Move every waiting clock on to now. */
  tick() {
    const now = Date.now();
    for (const clock of document.querySelectorAll('[data-testid="queue-waiting-time"]')) {
      const seconds = (now - Number(clock.dataset.since)) / 1000;
      clock.textContent = t("console_waited", { time: formatDuration(seconds) });
    }
  }

  itemNode(item, part, now) {
    const since = now - (Number(item.waiting_seconds) || 0) * 1000;
    const name = item.customer_name || t("console_unverified");
    const badges = [
      el("span", {
        class: "badge badge-language",
        testid: "queue-language",
        text: String(item.language || "").toUpperCase(),
      }),
      item.ticket
        ? el("span", {
            class: "badge badge-ticket",
            testid: "ticket-badge",
            text: t("console_ticket"),
          })
        : null,
    ];
    const clock = el("span", {
      class: "queue-clock",
      testid: "queue-waiting-time",
      dataset: { since: String(since) },
      text: t("console_waited", { time: formatDuration((now - since) / 1000) }),
    });
    const owner =
      item.agent_name && part === "waiting"
        ? el("span", {
            class: "queue-owner",
            text: t("console_handled_by", { name: item.agent_name }),
          })
        : null;
    return el(
      "li",
      {
        class: `queue-item queue-${part}`,
        testid: "queue-item",
        dataset: {
          senderId: item.sender_id,
          handoffId: String(item.handoff_id),
          status: item.status ?? "",
          part,
        },
      },
      el(
        "div",
        { class: "queue-line" },
        el("strong", { testid: "queue-customer", text: name }),
        badges,
      ),
      el(
        "div",
        { class: "queue-line" },
        el("span", {
          class: "queue-reason",
          testid: "queue-reason",
          text: label("handoff_", item.reason),
        }),
        clock,
      ),
      owner,
      el("div", { class: "queue-actions" }, this.actions(item, part)),
    );
  }

  actions(item, part) {
    const open = el("button", {
      type: "button",
      testid: "open-button",
      text: t("console_open"),
      onclick: () => this.hooks.onPreview(item.sender_id),
    });
    if (part === "mine") return [open];
    const accept = el("button", {
      type: "button",
      class: "primary",
      testid: "accept-button",
      text: t("console_accept"),
      onclick: () =>
        act(accept, async () => {
          const detail = await api("POST", `/agent/api/handoffs/${item.handoff_id}/accept`);
          await this.hooks.onOpen(detail);
          await this.refresh();
        }),
    });
    const assign = el(
      "select",
      {
        testid: "assign-select",
        "aria-label": t("console_assign"),
        onchange: () => {
          const agentId = Number(assign.value);
          if (!agentId) return;
          act(assign, async () => {
            await api("POST", `/agent/api/handoffs/${item.handoff_id}/assign`, {
              agent_id: agentId,
            });
            await this.refresh();
          }).finally(() => {
            assign.value = "";
          });
        },
      },
      el("option", { value: "", text: t("console_assign") }),
      this.agents.map((agent) => el("option", { value: String(agent.id), text: agent.first_name })),
    );
    return [accept, open, assign];
  }
}
