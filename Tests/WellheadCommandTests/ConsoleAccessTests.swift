import ConsoleAccess
import Foundation
import Testing
import TestSupport

/// Who may do what in the console, over real HTTP and a real WebSocket against `wellhead
/// serve`: every action, posted and sent over the WebSocket, by every role, is refused exactly
/// when the role may not use it; a forged CSRF token, a missing session and a foreign Origin are
/// refused; each role's state holds only what it may see.
@Suite(.serialized) struct ConsoleAccessTests {
    /// Each action the console takes, with the permission it needs (the issue's table).
    static let actions: [(json: String, permission: ConsolePermission)] = [
        (#"{"cancelOrder":{"orderID":"WH99999999"}}"#, .cancelOrders),
        (#"{"cancelAll":{"account":"DESK1"}}"#, .cancelOrders),
        (#"{"engageKillSwitch":{"scope":"account:NOBODY","reason":"table"}}"#, .changeRisk),
        (#"{"releaseKillSwitch":{"scope":"account:NOBODY","reason":"table"}}"#, .changeRisk),
        (#"{"logout":{"session":"OMS2"}}"#, .controlSessions),
        (#"{"disconnect":{"session":"OMS2"}}"#, .controlSessions),
        (#"{"resetSequenceNumbers":{"session":"OMS2"}}"#, .controlSessions),
        (#"{"setTradingState":{"scope":"account:NOBODY","state":"REDUCING","reason":"table"}}"#, .changeRisk),
        (#"{"setLimit":{"control":"maxOrderSize","scope":"account:NOBODY","value":"5"}}"#, .changeRisk),
        (#"{"approve":{"request":999}}"#, .approveRisk),
        (#"{"newOrder":{"ticket":{"account":"DESK1","symbol":"CLF7","side":"BUY","type":"LIMIT","quantity":"1","price":"40.00","timeInForce":"DAY"}}}"#,
         .enterOrders),
        (#"{"replaceOrder":{"orderID":"WH99999999","quantity":"2","price":null}}"#, .enterOrders),
    ]

    /// Endpoints other than `/api/action` that change or try something, with the permission each needs.
    static let endpoints: [(path: String, body: String, permission: ConsolePermission)] = [
        ("/api/preview", #"{"account":"DESK1","symbol":"CLF7","side":"BUY","type":"LIMIT","quantity":"1","price":"40.00","timeInForce":"DAY"}"#,
         .enterOrders),
    ]

    static let users: [(name: String, role: ConsoleRole)] = [("tara", .trader), ("rita", .riskManager), ("carl", .compliance), ("ada", .admin)]

    static func console() throws -> ConsoleBrowserTests.Console { try ConsoleBrowserTests.Console() }

    @Test func everyActionIsRefusedToEveryRoleThatMayNotUseIt() throws {
        let console = try Self.console()
        defer { console.stop() }
        for (name, role) in Self.users {
            let client = ConsoleClient(port: console.consolePort)
            #expect(try client.signIn(name, ConsoleBrowserTests.password).status == 302)
            for action in Self.actions {
                let answer = try client.act(action.json)
                let refused = answer.body.contains("refused: a \(role.rawValue) may not")
                #expect(refused == !role.may(action.permission), "\(role) \(action.json): \(answer.status) \(answer.body)")
                #expect(!refused || answer.status == 403, "\(role) \(action.json): \(answer.status)")
            }
        }
    }

    @Test func everyEndpointIsRefusedToEveryRoleThatMayNotUseIt() throws {
        let console = try Self.console()
        defer { console.stop() }
        for (name, role) in Self.users {
            let client = ConsoleClient(port: console.consolePort)
            #expect(try client.signIn(name, ConsoleBrowserTests.password).status == 302)
            for endpoint in Self.endpoints {
                let answer = try client.request("POST", endpoint.path, body: endpoint.body, contentType: "application/json",
                                                headers: ["X-CSRF-Token": client.csrf ?? ""])
                let refused = answer.status == 403 && answer.body.contains("refused: a \(role.rawValue) may not")
                #expect(refused == !role.may(endpoint.permission), "\(role) \(endpoint.path): \(answer.status) \(answer.body)")
                let forged = try client.request("POST", endpoint.path, body: endpoint.body, contentType: "application/json",
                                                headers: ["X-CSRF-Token": "forged"])
                #expect(forged.status == 403, "\(role) \(endpoint.path) with a forged token: \(forged.status)")
            }
        }
    }

    /// The same actions sent over `/live` by a real browser's WebSocket (the page's own), with
    /// the session's CSRF token, and once with a forged one.
    @Test func everyWebSocketActionIsRefusedToEveryRoleThatMayNotUseIt() throws {
        let console = try Self.console()
        defer { console.stop() }
        let actions = console.served.directory.path("actions.json")
        try ("[" + Self.actions.map(\.json).joined(separator: ",") + "]").write(toFile: actions, atomically: true, encoding: .utf8)
        for (name, role) in Self.users {
            let steps = try console.steps("websocket", [name, ConsoleBrowserTests.password, actions])
            for (index, action) in Self.actions.enumerated() {
                let outcome = try #require(steps["outcome \(index)"], "\(role) \(action.json): \(steps)")
                let refused = outcome.contains("refused: a \(role.rawValue) may not")
                #expect(refused == !role.may(action.permission), "\(role) \(action.json): \(outcome)")
            }
            #expect(steps["forged"]?.contains("CSRF") == true, "\(steps)")
        }
    }

    @Test func noSessionNoForeignOriginAndNoForgedToken() throws {
        let console = try Self.console()
        defer { console.stop() }
        let stranger = ConsoleClient(port: console.consolePort)
        #expect(try stranger.request("GET", "/api/state").status == 401)
        #expect(try stranger.act(#"{"engageKillSwitch":{"scope":"firm","reason":"x"}}"#).status == 401)
        #expect(try stranger.request("GET", "/app").headers["location"] == "/login")
        let risk = ConsoleClient(port: console.consolePort)
        try risk.signIn("rita", ConsoleBrowserTests.password)
        #expect(try risk.act(#"{"engageKillSwitch":{"scope":"firm","reason":"x"}}"#, csrf: "forged").status == 403)
        // A WebSocket opened from another site's page is not upgraded, the session cookie
        // notwithstanding (the page's own is, in the browser tests).
        let upgrade = ["Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                       "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="]
        let foreign = try risk.request("GET", "/live", headers: upgrade.merging(["Origin": "http://evil.example"]) { $1 })
        #expect(foreign.status != 101, "\(foreign.status)")
        let anonymous = try stranger.request("GET", "/live", headers: upgrade.merging(["Origin": console.url]) { $1 })
        #expect(anonymous.status != 101, "\(anonymous.status)")
        // The cookie is HttpOnly and SameSite=Strict; the pages forbid framing and foreign scripts.
        let login = try ConsoleClient(port: console.consolePort).request("POST", "/login", body: "user=rita&password=\(ConsoleBrowserTests.password.replacingOccurrences(of: " ", with: "+"))",
                                                                         contentType: "application/x-www-form-urlencoded")
        let setCookie = try #require(login.headers["set-cookie"])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), "\(setCookie)")
        #expect(login.headers["content-security-policy"]?.contains("script-src 'self'") == true, "\(login.headers)")
        #expect(login.headers["x-frame-options"] == "DENY")
    }

    @Test func eachRoleSeesOnlyWhatItMay() throws {
        let console = try Self.console()
        defer { console.stop() }
        let oms = try console.served.run("""
            D SEE1 \(console.served.symbol) 1 1 2 40.00 1
            EXPECT SEE1 0 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        for (name, role) in Self.users {
            let client = ConsoleClient(port: console.consolePort)
            try client.signIn(name, ConsoleBrowserTests.password)
            let answer = try client.request("GET", "/api/state")
            #expect(answer.status == 200)
            let state = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
            let sessions = state["sessions"] as? [Any] ?? []
            let limits = state["limits"] as? [Any] ?? []
            let orders = state["orders"] as? [[String: Any]] ?? []
            #expect(sessions.isEmpty == !role.may(.viewSessions), "\(role): sessions \(sessions.count)")
            #expect(limits.isEmpty == !role.may(.viewRisk), "\(role): limits \(limits.count)")
            let settings = state["limitSettings"] as? [Any] ?? []
            #expect(settings.isEmpty == !role.may(.viewRisk), "\(role): limit settings \(settings.count)")
            #expect(orders.contains { $0["clOrdID"] as? String == "SEE1" }, "\(role) sees the DESK1 order")
        }
    }

    /// Compliance finds an order's lifecycle by ClOrdID and exports the day as CSV; a risk
    /// manager may search but not export; a trader may do neither.
    @Test func theAuditTrailIsSearchedAndExportedByThoseWhoMay() throws {
        let console = try Self.console()
        defer { console.stop() }
        let oms = try console.served.run("""
            D AUD1 \(console.served.symbol) 1 1 2 40.00 1
            EXPECT AUD1 0 10
            F AUD2 AUD1 \(console.served.symbol) 1
            EXPECT AUD2 4 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        let compliance = ConsoleClient(port: console.consolePort)
        try compliance.signIn("carl", ConsoleBrowserTests.password)
        var lifecycle: ConsoleClient.Answer?
        let found = try eventually(timeout: 10) {
            let answer = try compliance.request("GET", "/api/audit/order?clordid=AUD2")
            lifecycle = answer
            return answer.status == 200 && answer.body.contains("OrigClOrdID(41)=AUD1")
        }
        #expect(found, "\(lifecycle?.status ?? 0) \(lifecycle?.body.prefix(1500) ?? "")")
        let body = lifecycle?.body ?? ""
        #expect(body.contains("ClOrdID(11)=AUD1") && body.contains("Side(54)=1 (BUY)"), "\(body.prefix(1500))")
        #expect(try compliance.request("GET", "/api/audit/order?clordid=NOPE").status == 404)
        let export = try compliance.request("GET", "/api/audit/export.csv?account=DESK1")
        #expect(export.status == 200 && export.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(export.body.hasPrefix("time,time_ns,") && export.body.contains("AUD1"), "\(export.body.prefix(500))")

        let risk = ConsoleClient(port: console.consolePort)
        try risk.signIn("rita", ConsoleBrowserTests.password)
        #expect(try risk.request("GET", "/api/audit/order?orderid=WH00000001").status == 200)
        #expect(try risk.request("GET", "/api/audit/export.csv").status == 403)
        let trader = ConsoleClient(port: console.consolePort)
        try trader.signIn("tara", ConsoleBrowserTests.password)
        #expect(try trader.request("GET", "/api/audit/order?clordid=AUD1").status == 403)
        #expect(try trader.request("GET", "/api/audit/export.csv").status == 403)
    }

    /// With TLS on the gateway's sessions, the console serves over TLS with the same
    /// certificate, and its session cookie is Secure (checked with curl, an independent client).
    @Test func theConsoleServesOverTLSWithTheProfilesCertificate() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TLSInteropTests.Certificates(in: directory, named: "certs")
        let consolePort = freePort()
        let usersPath = directory.path("users.txt")
        var users = UsersFile.empty(path: usersPath)
        try users.add(ConsoleUser(name: "rita", role: .riskManager, accounts: [],
                                  password: PasswordHash(hashing: ConsoleBrowserTests.password, cost: 4)))
        try users.save()
        let config = try WellheadProfiles.gatewayAcceptor(in: directory, port: freePort(), limits: QuickFIXOMSTests.limits, keys: """
            ConsolePort=\(consolePort)
            Users=\(usersPath)
            SocketUseSSL=Y
            ServerCertificateFile=\(certificates.server)
            ServerCertificateKeyFile=\(certificates.serverKey)
            """)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        defer { server.signal(SIGTERM); _ = server.wait(timeout: 20) }
        #expect(server.waitForOutput("console listening", timeout: 60), "\(server.output)")
        #expect(server.output.contains("tls=true"), "\(server.output)")
        let form = "user=rita&password=\(ConsoleBrowserTests.password.replacingOccurrences(of: " ", with: "+"))"
        let secure = try Shell.run("curl -s -i --cacert '\(certificates.ca)' --data '\(form)' https://127.0.0.1:\(consolePort)/login")
        #expect(secure.status == 0, "\(secure.output)")
        #expect(secure.output.hasPrefix("HTTP/1.1 302"), "\(secure.output)")
        let cookie = secure.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") } ?? ""
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(cookie)")
        let plain = try Shell.run("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:\(consolePort)/login")
        #expect(plain.output != "200", "plain HTTP is not served: \(plain.output)")
    }

    /// A ClOrdID holding markup is shown as text: the state carries it as a string, and the
    /// page sets it with textContent (checked in the browser test's blotter).
    @Test func aClOrdIDHoldingMarkupStaysText() throws {
        let console = try Self.console()
        defer { console.stop() }
        let hostile = "<script>alert(1)</script>"
        let oms = try console.served.run("""
            D \(hostile) \(console.served.symbol) 1 1 2 40.00 1
            EXPECT \(hostile) 0 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        let client = ConsoleClient(port: console.consolePort)
        try client.signIn("tara", ConsoleBrowserTests.password)
        let answer = try client.request("GET", "/api/state")
        #expect(answer.body.contains(#""clOrdID":"<script>alert(1)<\/script>""#) || answer.body.contains(#""clOrdID":"<script>alert(1)</script>""#),
                "\(answer.body.prefix(2000))")
        let browser = try console.browser("blotter", ["tara", ConsoleBrowserTests.password, hostile])
        #expect(browser.wait(timeout: 90) == 0, "\(browser.output)")
        #expect(ConsoleBrowserTests.Console.steps(in: browser.output)["row"]?.contains(hostile) == true, "\(browser.output)")
    }
}
