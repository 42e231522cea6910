import ConsoleAccess
import Foundation
import Hummingbird
import NIOCore

/// The console's pages: a login form and one application shell that the script fills from the
/// states pushed over the WebSocket. Every value the gateway or a counterparty supplied is
/// set as text by the script, never as markup; what the server writes into the shell itself
/// (the user's name, the CSRF token) is escaped.
enum ConsolePages {
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: ConsoleMessage.encode(value))))
    }

    /// JetBrains Mono from Debian's fonts-jetbrains-mono, when installed; the page falls back
    /// to the browser's monospace face without it.
    static let fontPaths = ["/usr/share/fonts/truetype/jetbrains-mono/JetBrainsMono-Regular.ttf",
                            "/usr/share/fonts/truetype/jetbrains-mono/JetBrainsMono[wght].ttf"]

    static func font() throws -> Response {
        for path in fontPaths {
            if let data = FileManager.default.contents(atPath: path) {
                return Response(status: .ok, headers: [.contentType: "font/ttf"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
        throw HTTPError(.notFound, message: "fonts-jetbrains-mono is not installed")
    }

    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/assets/console.css"></head>
        """
    }

    static func login(message: String?) -> String {
        head("Wellhead · sign in") + """
        <body class="login"><form method="post" action="/login" class="panel login-form" id="login">
        <h1>WELLHEAD</h1><p class="muted">FIX gateway and risk console</p>
        \(message.map { "<p class=\"error\" id=\"login-message\">\(escape($0))</p>" } ?? "")
        <label>User <input name="user" id="user" autocomplete="username" autofocus required></label>
        <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
        <button type="submit" id="sign-in">Sign in</button></form></body></html>
        """
    }

    /// The pages a role sees in the navigation, in order, with their keys.
    static func pages(for role: ConsoleRole) -> [(id: String, title: String)] {
        var pages: [(String, String)] = []
        if role.may(.viewSessions) { pages.append(("sessions", "Sessions")) }
        if role.may(.viewOrders) { pages.append(("blotter", "Blotter")) }
        if role.may(.viewPositions) { pages.append(("positions", "Positions")) }
        if role.may(.viewRisk) { pages.append(("risk", "Risk")) }
        if role.may(.viewMarket) { pages.append(("market", "Market")) }
        if role.may(.viewSignals) { pages.append(("signals", "Signals")) }
        if role.may(.searchAudit) { pages.append(("audit", "Audit")) }
        return pages
    }

    static func app(_ session: ConsoleSession) -> String {
        let user = session.user
        let permissions = ConsolePermission.allCases.filter { user.role.may($0) }.map(\.rawValue).joined(separator: " ")
        let pages = pages(for: user.role)
        let navigation = pages.enumerated().map { index, page in
            "<a href=\"#\(page.id)\" data-page=\"\(page.id)\" id=\"nav-\(page.id)\"><kbd>\(index + 1)</kbd> \(page.title)</a>"
        }.joined()
        return head("Wellhead console") + """
        <body data-permissions="\(escape(permissions))" data-user="\(escape(user.name))" data-role="\(escape(user.role.rawValue))" data-accounts="\(escape(user.role.may(.enterOrders) ? user.accounts.sorted().joined(separator: " ") : ""))">
        <meta name="csrf" content="\(escape(session.csrfToken))">
        <header><span class="brand">WELLHEAD</span><span id="page-title"></span>
        <span class="user" id="user-name">\(escape(user.name)) · \(escape(user.role.rawValue))</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(escape(session.csrfToken))">
        <button type="submit" id="sign-out" class="quiet">Sign out</button></form></header>
        <nav>\(navigation)</nav>
        <main id="main"></main>
        <div id="alerts" aria-live="assertive"></div>
        <footer><span id="connection" class="status-down">connecting</span><span id="updated"></span><span id="latency"></span>
        <span class="muted">? keys</span></footer>
        <script src="/assets/console.js"></script></body></html>
        """
    }
}

enum ConsoleFormat {
    /// Nanoseconds since the epoch as `2026-12-07 04:12:09`, UTC.
    static func time(_ nanoseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(nanoseconds / 1_000_000_000)))
    }
}
