/// The console's script and style, shipped inside the binary: no CDN, no npm.
enum ConsoleAssets {}

extension ConsoleAssets {
    /// Renders the states pushed over `/live` into the page, sends actions with the session's
    /// CSRF token, and keeps keyboard shortcuts. Every value from the gateway is set with
    /// `textContent`: a ClOrdID or Text holding markup shows as text.
    static let script = #"""
    "use strict";
    const csrf = document.querySelector('meta[name="csrf"]').content;
    const permissions = new Set(document.body.dataset.permissions.split(" ").filter(Boolean));
    const may = p => permissions.has(p);
    const pages = [...document.querySelectorAll("nav a")].map(a => a.dataset.page);
    let state = null, page = null, socket = null, lastUpdate = 0, lastAlert = null, previousSwitches = null;
    const selection = {};
    const filters = { account: "", session: "", symbol: "", status: "" };

    function el(tag, attributes, ...children) {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(attributes || {})) {
        if (key === "class") node.className = value;
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value);
      }
      for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
      return node;
    }

    function time(ns) {
      if (!ns) return "";
      const d = new Date(Number(BigInt(ns) / 1000000n));
      return d.toISOString().slice(11, 23);
    }

    // A day and a minute (UTC), for what may be days old.
    function dateTime(ns) {
      if (!ns) return "";
      return new Date(Number(BigInt(ns) / 1000000n)).toISOString().slice(0, 16).replace("T", " ");
    }

    function panel(id, title, ...body) {
      const collapsed = localStorage.getItem("collapsed:" + id) === "1";
      const section = el("section", { class: "panel" + (collapsed ? " collapsed" : ""), id: "panel-" + id });
      const heading = el("h2", {}, title);
      heading.addEventListener("click", () => {
        section.classList.toggle("collapsed");
        localStorage.setItem("collapsed:" + id, section.classList.contains("collapsed") ? "1" : "0");
      });
      section.append(heading, el("div", { class: "body" }, ...body));
      return section;
    }

    // columns: [title, value(row), class(row)?, numeric?]
    function table(id, columns, rows, key) {
      const head = el("tr", {}, ...columns.map(c => el("th", { class: c[3] ? "num" : "" }, c[0])));
      const body = el("tbody");
      for (const row of rows) {
        const tr = el("tr", { "data-key": key ? key(row) : "" });
        if (key && selection[id] === key(row)) tr.classList.add("selected");
        for (const c of columns) {
          const value = c[1](row);
          const td = el("td", { class: ((c[2] && c[2](row)) || "") + (c[3] ? " num" : "") });
          if (value instanceof Node) td.append(value); else td.textContent = value === undefined || value === null ? "" : String(value);
          tr.append(td);
        }
        if (key) tr.addEventListener("click", () => {
          selection[id] = key(row);
          tr.parentNode.querySelectorAll("tr.selected").forEach(r => r.classList.remove("selected"));
          tr.classList.add("selected");
        });
        body.append(tr);
      }
      return el("table", { id: "table-" + id }, el("thead", {}, head), body);
    }

    function sideClass(row) { return row.side === "BUY" ? "buy" : row.side === "SELL" ? "sell" : ""; }
    function signClass(text) { return text && text.startsWith("-") ? "loss" : (text && text !== "0" && !/^0(\.0+)?$/.test(text) ? "profit" : ""); }

    async function act(action, confirmText) {
      if (confirmText && !confirm(confirmText)) return;
      const response = await fetch("/api/action", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                                                     body: JSON.stringify(action), credentials: "same-origin" });
      let outcome;
      try { outcome = await response.json(); } catch (e) { outcome = { ok: false, message: "HTTP " + response.status }; }
      alert_(outcome.message, outcome.ok ? "good" : "bad");
    }

    // An action's outcome, for eight seconds: clicks go through it to the page beneath (the
    // next button the user wants may be under it). A risk alert stays until clicked away.
    function alert_(text, kind) {
      const box = el("div", { class: "alert " + (kind || ""), role: "alert" }, text);
      document.getElementById("alerts").append(box);
      setTimeout(() => box.remove(), 8000);
    }

    function button(label, onclick, danger, id) {
      const attributes = { class: danger ? "danger" : "", onclick };
      if (id) attributes.id = id;
      return el("button", attributes, label);
    }

    // The limits as configured, editable by a risk manager: a row's Edit (or e on the selected
    // row) fills the form above the table, which the pushes leave alone; Set (or Enter) asks the
    // server, whose answer (done, waiting for a second risk manager, or what is wrong) shows
    // beside the form. A raise appears under "Waiting for a second risk manager".
    // The form's elements as the page holds them (a later render builds others it does not keep).
    const limitForm = {
      get control() { return document.getElementById("limit-control"); }, get scope() { return document.getElementById("limit-scope"); },
      get value() { return document.getElementById("limit-value"); }, get result() { return document.getElementById("limit-result"); },
    };
    function editLimit(row) {
      if (!limitForm.control) return;
      limitForm.control.value = row.control; limitForm.scope.value = row.scope; limitForm.value.value = row.value;
      limitForm.value.focus(); limitForm.value.select();
    }
    function setLimit() {
      const action = { setLimit: { control: limitForm.control.value, scope: limitForm.scope.value.trim(), value: limitForm.value.value.trim() } };
      limitForm.result.textContent = "…"; limitForm.result.className = "";
      fetch("/api/action", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                             body: JSON.stringify(action), credentials: "same-origin" })
        .then(response => response.json().catch(() => ({ ok: false, message: "HTTP " + response.status })))
        .then(outcome => { limitForm.result.textContent = outcome.message; limitForm.result.className = outcome.ok ? "profit" : "loss"; });
    }
    function limitSettingsPanel() {
      const columns = [["Control", r => r.control], ["Scope", r => r.scope], ["Value", r => r.value, null, true], ["Unit", r => r.unit]];
      if (may("changeRisk")) columns.push(["", r => button("Edit", event => { event.stopPropagation(); editLimit(r); }, false,
        "edit-" + (r.control + "-" + r.scope).replace(/[^A-Za-z0-9]/g, "-"))]);
      const body = [table("limitsettings", columns, state.limitSettings || [], r => r.control + "|" + r.scope)];
      if (may("changeRisk")) {
        const controls = ["maxOrderSize", "maxOrderValue", "maxPositionPerMonth", "maxPositionPerRoot", "maxGrossNotional", "dailyLoss", "orderRate", "messageRate"];
        const control = el("select", { id: "limit-control" }, ...controls.map(c => el("option", { value: c }, c)));
        const scope = el("input", { placeholder: "firm | account:DESK1 | root:CL | symbol:CLZ6", id: "limit-scope", value: "firm" });
        const value = el("input", { placeholder: "value (empty removes it)", id: "limit-value" });
        value.addEventListener("keydown", event => { if (event.key === "Enter") setLimit(); });
        body.unshift(el("div", { class: "toolbar limit-form" }, control, scope, value,
          button("Set limit", setLimit, false, "set-limit"), el("span", { id: "limit-result" })));
      }
      return panel("limitsettings", "Limit settings (raising one needs a second risk manager)", ...body);
    }

    // The order ticket (Blotter page, for those who may enter orders): built once per page
    // visit, kept as the states refresh the tables around it. Replace mode names the order.
    const accounts = (document.body.dataset.accounts || "").split(" ").filter(Boolean);
    let replacing = null;

    function field(id, label, control) { return el("label", { class: "ticket-field", for: id }, label, control); }

    function choice(id, values) {
      const select = el("select", { id });
      for (const value of values) select.append(el("option", { value }, value));
      return select;
    }

    function orderTicket() {
      const symbols = state.market.map(r => r.symbol);
      const form = el("div", { class: "ticket", id: "ticket" },
        field("ticket-symbol", "Instrument", choice("ticket-symbol", symbols)),
        field("ticket-account", "Account", choice("ticket-account", accounts)),
        field("ticket-type", "Type", choice("ticket-type", ["LIMIT", "MARKET", "STOP"])),
        field("ticket-side", "Side", choice("ticket-side", ["BUY", "SELL"])),
        field("ticket-quantity", "Qty", el("input", { id: "ticket-quantity", inputmode: "numeric", size: "6", placeholder: "contracts" })),
        field("ticket-price", "Price", el("input", { id: "ticket-price", inputmode: "decimal", size: "9", placeholder: "limit" })),
        field("ticket-stop", "Stop", el("input", { id: "ticket-stop", inputmode: "decimal", size: "9", placeholder: "stop" })),
        field("ticket-tif", "TIF", choice("ticket-tif", ["DAY", "GTC", "IOC", "FOK"])),
        el("span", { id: "ticket-mode", class: "muted" }, "new order"),
        button("Preview", previewTicket, false, "ticket-preview"),
        button("Submit", submitTicket, false, "ticket-submit"),
        button("Clear", clearTicket, false, "ticket-clear"));
      form.addEventListener("change", event => { if (event.target.id === "ticket-type") typeChanged(); });
      form.addEventListener("keydown", event => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        if (event.ctrlKey || event.metaKey) submitTicket(); else previewTicket();
      });
      const result = el("div", { id: "ticket-result" });
      setTimeout(typeChanged, 0);
      return el("div", {}, form, result);
    }

    function value(id) { const node = document.getElementById(id); return node ? node.value.trim() : ""; }

    function typeChanged() {
      const type = value("ticket-type");
      const price = document.getElementById("ticket-price"), stop = document.getElementById("ticket-stop");
      if (!price || !stop) return;
      price.disabled = type !== "LIMIT"; stop.disabled = type !== "STOP";
      if (price.disabled) price.value = ""; if (stop.disabled) stop.value = "";
    }

    function ticketValues() {
      const type = value("ticket-type");
      return { account: value("ticket-account"), symbol: value("ticket-symbol"), side: value("ticket-side"), type,
               quantity: value("ticket-quantity"), price: type === "LIMIT" ? value("ticket-price") : null,
               stopPrice: type === "STOP" ? value("ticket-stop") : null, timeInForce: value("ticket-tif") };
    }

    function ticketResult(...children) { document.getElementById("ticket-result").replaceChildren(...children); }

    async function post(path, body) {
      const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                                           body: JSON.stringify(body), credentials: "same-origin" });
      try { return await response.json(); } catch (e) { return { ok: false, message: "HTTP " + response.status }; }
    }

    async function previewTicket() {
      const preview = await post("/api/preview", Object.assign(ticketValues(), replacing ? { replacing } : {}));
      const verdict = el("p", { id: "preview-verdict", class: preview.ok && preview.accepted ? "profit" : "error" },
                         (preview.ok ? (preview.accepted ? "PASS " : "REJECT " + (preview.check || "") + ": ") : "") + preview.message);
      const rows = preview.limits || [];
      const columns = [["Control", r => r.control], ["Scope", r => r.scope], ["Subject", r => r.subject],
        ["Now %", r => r.percentBefore, null, true], ["After %", r => r.percent, r => "level-" + r.level, true],
        ["Used after", r => r.used, null, true], ["Limit", r => r.limit, null, true], ["Unit", r => r.unit], ["Level", r => r.level, r => "level-" + r.level]];
      const limits = table("preview", columns, rows, null);
      limits.removeAttribute("id");
      limits.classList.add("preview-limits");
      ticketResult(verdict, limits);
    }

    async function submitTicket() {
      const action = replacing
        ? { replaceOrder: { orderID: replacing, quantity: value("ticket-quantity"), price: value("ticket-price") || value("ticket-stop") } }
        : { newOrder: { ticket: ticketValues() } };
      const outcome = await post("/api/action", action);
      ticketResult(el("p", { id: "ticket-outcome", class: outcome.ok ? "profit" : "error" }, outcome.message));
      alert_(outcome.message, outcome.ok ? "good" : "bad");
      if (outcome.ok && replacing) clearTicket(true);
    }

    function clearTicket(keepResult) {
      replacing = null;
      for (const id of ["ticket-quantity", "ticket-price", "ticket-stop"]) { const node = document.getElementById(id); if (node) node.value = ""; }
      for (const id of ["ticket-symbol", "ticket-account", "ticket-type", "ticket-side", "ticket-tif"]) {
        const node = document.getElementById(id); if (node) node.disabled = false; }
      const mode = document.getElementById("ticket-mode"); if (mode) mode.textContent = "new order";
      typeChanged();
      if (keepResult !== true) ticketResult();
    }

    function openTicket() {
      if (page !== "blotter") show("blotter");
      const panelNode = document.getElementById("panel-ticket");
      if (panelNode) panelNode.classList.remove("collapsed");
      document.getElementById("ticket-symbol")?.focus();
    }

    function startReplace(row) {
      openTicket();
      replacing = row.orderID;
      const set = (id, v) => { const node = document.getElementById(id); if (node) node.value = v; };
      set("ticket-symbol", row.symbol); set("ticket-account", row.account); set("ticket-side", row.side);
      set("ticket-type", row.type); set("ticket-tif", row.timeInForce); typeChanged();
      set("ticket-quantity", String(row.quantity)); set("ticket-price", row.price); set("ticket-stop", row.stopPrice);
      for (const id of ["ticket-symbol", "ticket-account", "ticket-type", "ticket-side", "ticket-tif"]) {
        const node = document.getElementById(id); if (node) node.disabled = true; }
      document.getElementById("ticket-mode").textContent = "replace " + row.orderID;
      document.getElementById("ticket-quantity").focus();
    }

    const renderers = {
      sessions() {
        const columns = [["Session", r => r.name], ["Kind", r => r.kind], ["State", r => r.state, r => r.connected ? "profit" : "loss"],
          ["In", r => r.nextIn, null, true], ["Out", r => r.nextOut, null, true], ["Last received", r => time(r.lastReceived)],
          ["HeartBtInt", r => r.heartbeat, null, true], ["Heartbeat lag", r => r.latency, null, true]];
        if (may("controlSessions")) columns.push(["", r => el("span", {},
          button("Logout", () => act({ logout: { session: r.name } }, "Log out " + r.name + "?")),
          button("Disconnect", () => act({ disconnect: { session: r.name } }, "Drop " + r.name + "?"), true),
          button("Reset seq", () => act({ resetSequenceNumbers: { session: r.name } }, "Reset " + r.name + "'s sequence numbers?"), true))]);
        return [panel("sessions", "FIX sessions", table("sessions", columns, state.sessions, r => r.name))];
      },
      blotter() {
        const inputs = Object.keys(filters).map(name => {
          const input = el("input", { placeholder: name, id: "filter-" + name, value: filters[name] });
          input.addEventListener("input", () => { filters[name] = input.value.trim(); render(); });
          return input;
        });
        const match = r => (!filters.account || r.account.includes(filters.account)) && (!filters.session || r.session.includes(filters.session))
          && (!filters.symbol || r.symbol.includes(filters.symbol)) && (!filters.status || r.status.includes(filters.status.toUpperCase()));
        const orders = state.orders.filter(match);
        const columns = [["OrderID", r => r.orderID], ["ClOrdID", r => r.clOrdID], ["Session", r => r.session], ["Account", r => r.account],
          ["Symbol", r => r.symbol], ["Side", r => r.side, sideClass], ["Type", r => r.type], ["TIF", r => r.timeInForce],
          ["Qty", r => r.quantity, null, true], ["Price", r => r.price, null, true], ["Filled", r => r.cumQty, null, true],
          ["Leaves", r => r.leavesQty, null, true], ["AvgPx", r => r.averagePrice, null, true], ["Status", r => r.status],
          ["User", r => r.enteredBy || ""]];
        if (may("cancelOrders")) columns.push(["", r => r.working ? button("Cancel", () => act({ cancelOrder: { orderID: r.orderID } }), true) : ""]);
        if (may("searchAudit")) columns.push(["", r => button("Lifecycle", () => openLifecycle(r.orderID), false, "lifecycle-" + r.orderID)]);
        if (may("enterOrders")) columns.push(["", r => r.working && r.session === "CONSOLE" ? button("Replace", () => startReplace(r), false, "replace-" + r.orderID) : ""]);
        const toolbar = el("div", { class: "toolbar" }, ...inputs);
        if (may("cancelOrders")) {
          const account = el("input", { placeholder: "account to cancel", id: "cancel-all-account" });
          toolbar.append(account, button("Cancel all", () => act({ cancelAll: { account: account.value.trim() } },
            "Cancel every working order of " + account.value.trim() + "?"), true, "cancel-all"));
        }
        const fills = state.fills.filter(r => (!filters.account || r.account.includes(filters.account)) && (!filters.symbol || r.symbol.includes(filters.symbol)));
        const ticket = may("enterOrders") ? [panel("ticket", "Order ticket", orderTicket())] : [];
        return [...ticket, panel("orders", "Orders (" + orders.filter(o => o.working).length + " working)", toolbar,
                      table("orders", columns, orders, r => r.orderID)),
                panel("fills", "Fills (" + fills.length + ")", table("fills", [["Time", r => time(r.time)], ["ExecID", r => r.execID],
                  ["Account", r => r.account], ["Symbol", r => r.symbol], ["Side", r => r.side, sideClass], ["Qty", r => r.quantity, null, true],
                  ["Price", r => r.price, null, true], ["Value", r => r.value, null, true]], fills, r => r.execID))];
      },
      positions() {
        const columns = [["Account", r => r.account], ["Root", r => r.root], ["Contract", r => r.symbol], ["Net", r => r.net, r => r.net < 0 ? "sell" : "buy", true],
          ["Avg price", r => r.averagePrice, null, true], ["Mark", r => r.mark, null, true],
          ["Realised", r => r.realised, r => signClass(r.realised), true], ["Unrealised", r => r.unrealised, r => signClass(r.unrealised), true]];
        const totals = [["Scope", r => r.scope], ["Realised", r => r.realised, r => signClass(r.realised), true],
          ["Unrealised", r => r.unrealised, r => signClass(r.unrealised), true], ["Day P&L", r => r.dayPnL, r => signClass(r.dayPnL), true],
          ["Gross exposure", r => r.grossExposure, null, true]];
        return [panel("totals", "P&L today", table("totals", totals, state.totals, r => r.scope)),
                panel("positions", "Positions", table("positions", columns, state.positions, r => r.account + " " + r.symbol))];
      },
      risk() {
        const limitColumns = [["Control", r => r.control], ["Scope", r => r.scope], ["Subject", r => r.subject],
          ["Used", r => r.used, null, true], ["Limit", r => r.limit, null, true], ["Unit", r => r.unit],
          ["Utilisation", r => { const fill = el("span");
                                 // CSSOM, not a style attribute: the page's policy allows no inline styles.
                                 fill.style.width = Math.max(0, Math.min(100, parseFloat(r.percent) || 0)) + "%";
                                 return el("span", {}, el("span", { class: "bar level-" + r.level }, fill), r.percent + "%"); }], ["Level", r => r.level, r => "level-" + r.level]];
        const parts = [panel("limits", "Limits", table("limits", limitColumns, state.limits, r => r.control + " " + r.subject))];
        parts.push(limitSettingsPanel());
        const switchColumns = [["Scope", r => r.scope], ["Engaged by", r => r.engagedBy], ["Since", r => time(r.engagedAt)], ["Reason", r => r.reason]];
        if (may("changeRisk")) switchColumns.push(["", r => button("Release", () => act({ releaseKillSwitch: { scope: r.scope, reason: "released from the console" } },
          "Release the " + r.scope + " kill switch?"), false, "release-" + r.scope.replace(/[^A-Za-z0-9]/g, "-"))]);
        const switches = [table("killswitches", switchColumns, state.killSwitches, r => r.scope)];
        if (may("changeRisk")) {
          const scope = el("input", { placeholder: "firm | account:DESK1 | session:OMS1", id: "kill-scope", value: "firm" });
          const reason = el("input", { placeholder: "reason", id: "kill-reason" });
          switches.unshift(el("div", { class: "toolbar" }, scope, reason, button("Engage kill switch", () =>
            act({ engageKillSwitch: { scope: scope.value.trim(), reason: reason.value.trim() } }, "Engage the " + scope.value.trim() + " kill switch?"), true, "engage-kill-switch")));
        }
        parts.push(panel("killswitches", "Kill switches (" + state.killSwitches.length + " engaged)", ...switches));
        const stateColumns = [["Scope", r => r.scope], ["State", r => r.state, r => r.state === "ACTIVE" ? "profit" : r.state === "HALTED" ? "loss" : "caution"],
          ["Set by", r => r.setBy || "limits file"], ["Since", r => r.since ? time(r.since) : ""], ["Reason", r => r.reason]];
        const states = [table("tradingstates", stateColumns, state.tradingStates, r => r.scope)];
        if (may("changeRisk")) {
          const scope = el("input", { placeholder: "firm | account:DESK1", id: "trading-scope", value: "firm" });
          const choice = el("select", { id: "trading-state" }, ...["ACTIVE", "REDUCING", "HALTED"].map(s => el("option", { value: s }, s)));
          const reason = el("input", { placeholder: "reason", id: "trading-reason" });
          states.unshift(el("div", { class: "toolbar" }, scope, choice, reason, button("Set trading state", () =>
            act({ setTradingState: { scope: scope.value.trim(), state: choice.value, reason: reason.value.trim() } },
                "Set " + scope.value.trim() + " to " + choice.value + "?"), false, "set-trading-state")));
        }
        parts.push(panel("tradingstates", "Trading states", ...states));
        parts.push(panel("alerts", "Alerts today", table("alerts", [["#", r => r.number, null, true], ["Time", r => time(r.time)],
          ["Level", r => r.level, r => "level-" + r.level], ["Alert", r => r.message]], state.alerts, r => String(r.number))));
        const approvalColumns = [["#", r => r.id, null, true], ["Change", r => r.action], ["Asked by", r => r.requestedBy], ["At", r => time(r.requestedAt)]];
        if (may("approveRisk")) approvalColumns.push(["", r => button("Approve", () => act({ approve: { request: r.id } }), false, "approve-" + r.id)]);
        parts.push(panel("approvals", "Waiting for a second risk manager", table("approvals", approvalColumns, state.approvals, r => String(r.id))));
        return parts;
      },
      market() {
        const columns = [["Contract", r => r.symbol], ["Month", r => r.month], ["Bid size", r => r.bidSize || "", null, true], ["Bid", r => r.bid, () => "buy", true],
          ["Ask", r => r.ask, () => "sell", true], ["Ask size", r => r.askSize || "", null, true], ["Last", r => r.last, null, true], ["Settle", r => r.settlement, null, true]];
        const roots = [...new Set(state.market.map(r => r.root))];
        return [panel("curves", "Futures curves", el("div", { class: "toolbar" }, ...roots.map(root => curve(root, state.market.filter(r => r.root === root))))),
                panel("spreads", "Spreads and cracks", table("spreads", [["Spread", r => r.name], ["Value", r => r.value, r => signClass(r.value), true], ["Unit", r => r.unit]], state.spreads, r => r.name)),
                panel("market", "Books", table("market", columns, state.market, r => r.symbol)),
                panel("venues", "Venues", table("venues", [["Venue", r => r.name], ["Connected", r => r.connected ? "yes" : "no", r => r.connected ? "profit" : "loss"],
                  ["Status", r => r.status, r => r.halted ? "loss" : r.connected ? "" : "loss"]], state.venues, r => r.name))];
      },
      signals() {
        const directionClass = d => d === "LONG" ? "profit" : d === "SHORT" ? "loss" : "muted";
        return [panel("signals", "Composite signals", el("p", { class: "muted", id: "signal-source" },
          state.signalSource || "no daily history: the signals warm up from the live bars"), table("signals", [["Root", r => r.root], ["Direction", r => r.direction, r => directionClass(r.direction)],
          ["Score", r => r.score, null, true], ["Confidence", r => r.confidence, null, true], ["Horizon", r => r.horizon],
          ["Last bar", r => r.updated ? dateTime(r.updated) : "warming up"], ["Last close", r => r.lastClose], ["Bars", r => r.bars, null, true], ["Signals", r => r.signals, null, true],
          ["Win rate %", r => r.winRate, null, true], ["Avg return %", r => r.averageReturn, r => signClass(r.averageReturn), true]], state.signals, r => r.root)),
          panel("contributors", "Contributing signals", table("contributors", [["Root", r => r.root], ["Signal", r => r.name],
            ["Weight", r => r.weight, null, true], ["Value", r => r.value || "warming up", r => signClass(r.value), true],
            ["Direction", r => r.direction, r => directionClass(r.direction)], ["Confidence", r => r.confidence, null, true]],
            state.signalContributors, r => r.root + "|" + r.name)),
          panel("signalstates", "Curves and spreads", table("signalstates", [["Signal", r => r.name], ["State", r => r.state || "warming up"],
            ["Value", r => r.value, r => signClass(r.value), true], ["Measure", r => r.measure]], state.signalStates, r => r.name)),
          panel("signalhistory", "Recent signals and how they did", table("signalhistory", [["Time", r => dateTime(r.time)], ["Root", r => r.root],
            ["From", r => r.previous, r => directionClass(r.previous)], ["To", r => r.direction, r => directionClass(r.direction)],
            ["Score", r => r.score, null, true], ["Entry", r => r.entryPrice, null, true], ["Exit", r => r.exitPrice, null, true],
            ["Return %", r => r.signalReturn, r => signClass(r.signalReturn), true], ["Outcome", r => r.outcome,
            r => r.outcome === "win" ? "profit" : r.outcome === "loss" ? "loss" : "muted"]], state.signalHistory, r => r.id))];
      },
      audit() {
        const clordid = el("input", { placeholder: "ClOrdID", id: "audit-clordid" });
        const orderid = el("input", { placeholder: "OrderID", id: "audit-orderid" });
        const result = el("div", { id: "audit-result" });
        const search = async () => {
          const query = clordid.value.trim() ? "clordid=" + encodeURIComponent(clordid.value.trim()) : "orderid=" + encodeURIComponent(orderid.value.trim());
          const response = await fetch("/api/audit/order?" + query, { credentials: "same-origin" });
          result.replaceChildren();
          if (!response.ok) { result.append(el("p", { class: "error" }, await response.text())); return; }
          const rows = await response.json();
          result.append(table("audit", [["Time", r => r.time], ["Kind", r => r.kind], ["Direction", r => r.direction || ""], ["Session", r => r.session || ""],
            ["Detail", r => r.detail]], rows, null));
        };
        const toolbar = el("div", { class: "toolbar" }, clordid, orderid, button("Search", search, false, "audit-search"));
        if (may("exportAudit")) toolbar.append(el("a", { href: "/api/audit/export.csv", id: "audit-export" }, "Export today as CSV"));
        // Opened from a blotter row: that order's lifecycle at once.
        if (lifecycleOf) { orderid.value = lifecycleOf; lifecycleOf = null; setTimeout(search, 0); }
        return [panel("audit", "Audit trail", toolbar, result)];
      },
    };

    // An order's whole lifecycle: the Audit page, searched by its OrderID.
    let lifecycleOf = null;
    function openLifecycle(orderID) {
      lifecycleOf = orderID;
      show("audit");
    }

    function curve(root, rows) {
      const points = rows.map(r => ({ month: r.month, price: parseFloat(r.last || r.settlement || r.bid || r.ask) })).filter(p => !isNaN(p.price));
      const width = 320, height = 140, pad = 28;
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", "curve"); svg.setAttribute("width", width); svg.setAttribute("height", height); svg.setAttribute("id", "curve-" + root);
      const label = document.createElementNS(svg.namespaceURI, "text");
      label.setAttribute("x", 6); label.setAttribute("y", 14); label.textContent = root; svg.append(label);
      if (points.length < 1) return svg;
      const low = Math.min(...points.map(p => p.price)), high = Math.max(...points.map(p => p.price));
      const x = i => pad + (points.length === 1 ? 0 : i * (width - 2 * pad) / (points.length - 1));
      const y = p => high === low ? height / 2 : height - pad - (p - low) * (height - 2 * pad) / (high - low);
      const line = document.createElementNS(svg.namespaceURI, "polyline");
      line.setAttribute("points", points.map((p, i) => x(i) + "," + y(p.price)).join(" "));
      svg.append(line);
      points.forEach((p, i) => { const dot = document.createElementNS(svg.namespaceURI, "circle");
        dot.setAttribute("cx", x(i)); dot.setAttribute("cy", y(p.price)); dot.setAttribute("r", 2); svg.append(dot); });
      for (const [text, value, at] of [[high.toFixed(2), high, 12], [low.toFixed(2), low, height - pad + 4]]) {
        const t = document.createElementNS(svg.namespaceURI, "text"); t.setAttribute("x", width - pad + 2); t.setAttribute("y", at); t.textContent = text; svg.append(t);
      }
      return svg;
    }

    function alertsFrom(next) {
      if (!may("viewRisk")) return;
      // The sidecar's warnings, numbered as raised: those this page has not seen stay on screen
      // until dismissed (the first state only records where the page starts).
      const newest = next.alerts.reduce((most, a) => Math.max(most, a.number), 0);
      if (lastAlert !== null) {
        for (const a of next.alerts.filter(a => a.number > lastAlert).sort((x, y) => x.number - y.number)) {
          const box = el("div", { class: "alert bad dismissable", role: "alert", id: "risk-alert-" + a.number },
                         "ALERT " + a.level.toUpperCase() + ": " + a.message + " (" + time(a.time) + ")");
          box.addEventListener("click", () => box.remove());
          document.getElementById("alerts").append(box);
        }
      }
      lastAlert = Math.max(lastAlert ?? 0, newest);
      const switches = new Set(next.killSwitches.map(k => k.scope));
      if (previousSwitches) for (const scope of switches) if (!previousSwitches.has(scope)) alert_("ALERT kill switch engaged: " + scope, "bad");
      previousSwitches = switches;
    }

    // The first render of a page builds it; later states replace only its tables, charts and
    // panel titles, so what the user is typing or about to click stays where it is.
    function render(full) {
      if (!state || !page) return;
      const main = document.getElementById("main");
      const fresh = renderers[page]();
      if (full || main.dataset.page !== page) { main.replaceChildren(...fresh); main.dataset.page = page; return; }
      const holder = el("div", {}, ...fresh);
      for (const node of holder.querySelectorAll("table[id], svg[id]")) {
        const old = document.getElementById(node.id);
        if (!old) { main.replaceChildren(...holder.children); return; }
        old.replaceWith(node);
      }
      for (const section of holder.querySelectorAll("section.panel")) {
        const old = document.getElementById(section.id);
        if (old) old.querySelector("h2").textContent = section.querySelector("h2").textContent;
      }
    }

    function show(next) {
      if (!renderers[next]) next = pages[0];
      page = next;
      document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.page === page));
      document.getElementById("page-title").textContent = document.getElementById("nav-" + page)?.textContent.replace(/^\d\s*/, "") || "";
      if (location.hash !== "#" + page) history.replaceState(null, "", "#" + page);
      if (page === "audit") { const main = document.getElementById("main"); main.replaceChildren(...renderers.audit()); main.dataset.page = page; return; }
      render(true);
    }

    // The keys the server diffs each table by (ConsoleState+Patch.swift).
    const tableKeys = {
      sessions: r => r.name, orders: r => r.orderID, fills: r => r.execID, positions: r => r.account + " " + r.symbol,
      totals: r => r.scope, limits: r => r.control + "|" + r.scope + "|" + r.subject, killSwitches: r => r.scope,
      approvals: r => String(r.id), limitSettings: r => r.control + "|" + r.scope, market: r => r.symbol, spreads: r => r.name,
      venues: r => r.name, signals: r => r.root, tradingStates: r => r.scope, alerts: r => String(r.number),
      signalContributors: r => r.root + "|" + r.name, signalStates: r => r.name, signalHistory: r => r.id,
    };

    // A patch applied: changed rows replace their old selves, and a new key order, when given,
    // says which rows there are now and in what order.
    function patched(old, patch) {
      const next = Object.assign({}, old, { time: patch.time, tradingDate: patch.tradingDate, signalSource: patch.signalSource });
      for (const [name, key] of Object.entries(tableKeys)) {
        const change = patch[name];
        if (!change) continue;
        const rows = new Map(old[name].map(r => [key(r), r]));
        for (const row of change.upsert) rows.set(key(row), row);
        next[name] = (change.keys || old[name].map(key)).map(k => rows.get(k)).filter(Boolean);
      }
      return next;
    }

    function connect() {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/live");
      socket.addEventListener("open", () => { const c = document.getElementById("connection"); c.textContent = "live"; c.className = "status-up"; });
      socket.addEventListener("message", event => {
        const message = JSON.parse(event.data);
        if (message.type === "state" || (message.type === "patch" && state)) {
          const next = message.type === "state" ? message.body : patched(state, message.body);
          alertsFrom(next);
          state = next; lastUpdate = Date.now();
          document.getElementById("latency").textContent = "gateway time " + time(state.time);
          if (page !== "audit") render();
        } else if (message.type === "outcome") alert_(message.body.message, message.body.ok ? "good" : "bad");
      });
      socket.addEventListener("close", () => {
        const c = document.getElementById("connection"); c.textContent = "disconnected"; c.className = "status-down";
        setTimeout(connect, 1000);
      });
    }

    setInterval(() => {
      if (!lastUpdate) return;
      const age = Math.round((Date.now() - lastUpdate) / 1000);
      document.getElementById("updated").textContent = "updated " + age + "s ago";
    }, 1000);

    document.querySelectorAll("nav a").forEach(a => a.addEventListener("click", e => { e.preventDefault(); show(a.dataset.page); }));
    document.addEventListener("keydown", event => {
      if (event.target.matches("input, select, textarea")) { if (event.key === "Escape") event.target.blur(); return; }
      const index = parseInt(event.key, 10);
      if (index >= 1 && index <= pages.length) { show(pages[index - 1]); return; }
      const rows = [...document.querySelectorAll("main table tbody tr")];
      const current = rows.findIndex(r => r.classList.contains("selected"));
      if (event.key === "j" || event.key === "k") {
        const next = rows[Math.max(0, Math.min(rows.length - 1, current + (event.key === "j" ? 1 : -1)))];
        if (next) next.click();
      } else if (event.key === "e" && page === "risk" && selection.limitsettings && may("changeRisk")) {
        const row = (state.limitSettings || []).find(r => r.control + "|" + r.scope === selection.limitsettings);
        if (row) { event.preventDefault(); editLimit(row); }
      } else if (event.key === "o" && page === "blotter" && selection.orders && may("searchAudit")) {
        openLifecycle(selection.orders);
      } else if (event.key === "c" && page === "blotter" && selection.orders && may("cancelOrders")) {
        act({ cancelOrder: { orderID: selection.orders } }, "Cancel " + selection.orders + "?");
      } else if (event.key === "n" && may("enterOrders")) {
        event.preventDefault(); openTicket();
      } else if (event.key === "r" && page === "blotter" && selection.orders && may("enterOrders")) {
        const row = state.orders.find(o => o.orderID === selection.orders);
        if (row && row.working && row.session === "CONSOLE") startReplace(row);
      } else if (event.key === "/") {
        event.preventDefault(); document.querySelector("main input")?.focus();
      } else if (event.key === "?") {
        const help = document.getElementById("help");
        if (help) help.remove(); else document.body.append(el("div", { id: "help", class: "panel" },
          el("h2", {}, "Keys"), el("div", { class: "body" }, "1–" + pages.length + " pages · j/k rows · c cancel the selected order · o its lifecycle" +
          (may("enterOrders") ? " · n order ticket · r replace the selected order · Enter preview · Ctrl+Enter submit" : "") +
          (may("changeRisk") ? " · e edit the selected limit" : "") + " · / filter · ? this help")));
      }
    });
    show(location.hash.slice(1));
    connect();
    """#
}
