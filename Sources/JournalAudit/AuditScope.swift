/// Whom a kill switch, a limit warning or an admin action concerns: the firm (every order),
/// an account, or an OMS session.
enum AuditScope: Hashable {
    case firm
    case account(String)
    case session(String)

    /// The scope of an event that touches orders by scope; `nil` for other events and for
    /// scopes narrower than an account (a root's or a symbol's warnings).
    init?(kind: String, json: AuditJSON) {
        switch kind {
        case "risk.killSwitch":
            guard let level = json["level"] else { return nil }
            self.init(encoded: level)
        case "risk.warning":
            guard let scope = json["utilisation"]?["scope"] else { return nil }
            self.init(encoded: scope)
        case "admin":
            // An admin action with no scope (a day roll) concerns every order.
            guard let text = json.text("scope") else {
                self = .firm
                return
            }
            self.init(text: text)
        default:
            return nil
        }
    }

    /// `firm`, `account:<name>`, `session:<name>`, as the admin socket takes them.
    init?(text: String) {
        if text == "firm" {
            self = .firm
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "account": self = .account(parts[1])
        case "session": self = .session(parts[1])
        default: return nil
        }
    }

    /// A scope as Swift's `Codable` writes an enumeration (`{"account":{"_0":"DESK1"}}`).
    init?(encoded json: AuditJSON) {
        if json["firm"] != nil {
            self = .firm
        } else if let name = json.text("account", "_0") {
            self = .account(name)
        } else if let name = json.text("session", "_0") {
            self = .session(name)
        } else {
            return nil
        }
    }

    func covers(account: String, sessions: Set<String>) -> Bool {
        switch self {
        case .firm: true
        case .account(let name): name == account
        case .session(let name): sessions.contains(name)
        }
    }
}
