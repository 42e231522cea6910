extension ConsoleAssets {
    /// "Terminal Noir": the desk's colours (../shared/reference/console-design.md), figures in
    /// JetBrains Mono with tabular digits, headings and controls in a plain sans-serif.
    static let css = #"""
    @font-face { font-family: "WellheadMono"; src: url("/assets/mono.ttf") format("truetype"); font-display: swap; }
    :root { --bg: #0D1117; --panel: #161B22; --border: #30363D; --text: #E6EDF3; --muted: #8B949E; --accent: #58A6FF;
            --profit: #3FB950; --loss: #F85149; --caution: #D29922;
            --mono: "WellheadMono", "JetBrains Mono", ui-monospace, monospace;
            --sans: "IBM Plex Sans", system-ui, "DejaVu Sans", sans-serif; }
    * { box-sizing: border-box; }
    html, body { margin: 0; background: var(--bg); color: var(--text); font: 13px/1.35 var(--sans); }
    body { display: grid; grid-template: "head head" 36px "nav main" 1fr "foot foot" 24px / 150px 1fr; height: 100vh; }
    header { grid-area: head; display: flex; gap: 16px; align-items: center; padding: 0 12px; background: var(--panel);
             border-bottom: 1px solid var(--border); }
    header .brand { font: 600 14px var(--mono); letter-spacing: 2px; color: var(--accent); }
    header .user { margin-left: auto; color: var(--muted); }
    nav { grid-area: nav; background: var(--panel); border-right: 1px solid var(--border); padding: 8px 0; }
    nav a { display: block; padding: 6px 12px; color: var(--muted); text-decoration: none; }
    nav a.active, nav a:hover { color: var(--text); background: #1F2630; border-left: 2px solid var(--accent); }
    kbd { font: 11px var(--mono); color: var(--muted); border: 1px solid var(--border); border-radius: 3px; padding: 0 4px; }
    main { grid-area: main; overflow: auto; padding: 10px 12px; }
    footer { grid-area: foot; display: flex; gap: 18px; align-items: center; padding: 0 12px; background: var(--panel);
             border-top: 1px solid var(--border); font: 12px var(--mono); color: var(--muted); }
    .status-up { color: var(--profit); } .status-down { color: var(--loss); } .status-stale { color: var(--caution); }
    .caution { color: var(--caution); }
    section.panel, .panel { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; margin-bottom: 10px; }
    .panel > h2 { margin: 0; padding: 6px 10px; font: 600 12px var(--sans); text-transform: uppercase; letter-spacing: 1px;
                  color: var(--muted); border-bottom: 1px solid var(--border); cursor: pointer; user-select: none; }
    .panel > h2::before { content: "▾ "; } .panel.collapsed > h2::before { content: "▸ "; }
    .panel.collapsed > .body { display: none; }
    .panel > .body { padding: 6px 10px; overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font: 12px var(--mono); font-variant-numeric: tabular-nums; }
    th { text-align: left; font: 600 11px var(--sans); color: var(--muted); padding: 3px 8px; border-bottom: 1px solid var(--border);
         white-space: nowrap; }
    td { padding: 2px 8px; border-bottom: 1px solid #21262D; white-space: nowrap; }
    td.num, th.num { text-align: right; }
    tr.selected td { background: #1F2A3A; }
    tbody tr:hover td { background: #1A2029; }
    .buy { color: var(--profit); } .sell { color: var(--loss); }
    .profit { color: var(--profit); } .loss { color: var(--loss); } .muted { color: var(--muted); }
    .level-warning { color: var(--caution); } .level-critical, .level-breached { color: var(--loss); font-weight: 600; }
    .bar { display: inline-block; width: 120px; height: 8px; background: #21262D; vertical-align: middle; margin-right: 6px; }
    .bar > span { display: block; height: 100%; background: var(--profit); }
    .bar.level-warning > span { background: var(--caution); } .bar.level-critical > span, .bar.level-breached > span { background: var(--loss); }
    button { font: 12px var(--sans); color: var(--text); background: #21262D; border: 1px solid var(--border); border-radius: 3px;
             padding: 2px 10px; cursor: pointer; }
    button:hover { border-color: var(--accent); } button.danger { border-color: var(--loss); color: var(--loss); }
    button.quiet { background: transparent; }
    input, select { font: 12px var(--mono); color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 3px;
                    padding: 3px 6px; }
    form.inline { display: inline; }
    .toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
    #alerts { position: fixed; right: 12px; bottom: 32px; display: flex; flex-direction: column; gap: 6px; z-index: 10;
              pointer-events: none; }
    .alert.dismissable { pointer-events: auto; cursor: pointer; }
    .alert { background: var(--panel); border: 1px solid var(--caution); border-left: 4px solid var(--caution); padding: 6px 10px;
             font: 12px var(--mono); max-width: 520px; }
    .alert.bad { border-color: var(--loss); } .alert.good { border-color: var(--profit); }
    .error { color: var(--loss); }
    body.login { display: flex; align-items: center; justify-content: center; }
    .login-form { width: 320px; padding: 20px; display: flex; flex-direction: column; gap: 10px; }
    .login-form h1 { margin: 0; font: 600 18px var(--mono); letter-spacing: 3px; color: var(--accent); }
    .login-form label { display: flex; flex-direction: column; gap: 4px; color: var(--muted); }
    svg.curve { background: var(--bg); border: 1px solid var(--border); }
    svg.curve polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
    svg.curve text { fill: var(--muted); font: 10px var(--mono); }
    svg.curve circle { fill: var(--accent); }
    #table-audit td:last-child { white-space: pre-wrap; word-break: break-word; min-width: 480px; }
    #help { position: fixed; inset: 20% 30%; background: var(--panel); border: 1px solid var(--accent); padding: 16px; z-index: 20; }
    .hidden { display: none; }
    .limit-form #limit-value { width: 160px; } .limit-form #limit-scope { width: 240px; }
    #limit-result { font: 12px var(--mono); max-width: 640px; }
    .ticket { display: flex; gap: 10px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 6px; }
    .ticket-field { display: flex; flex-direction: column; gap: 2px; font: 11px var(--sans); color: var(--muted); }
    .ticket input:disabled, .ticket select:disabled { opacity: 0.45; }
    #ticket-mode { font: 12px var(--mono); align-self: center; }
    #ticket-result p { margin: 4px 0; font: 12px var(--mono); }
    table.preview-limits td.level-warning { color: var(--caution); }
    table.preview-limits td.level-critical { color: var(--loss); font-weight: 600; }
    """#
}
