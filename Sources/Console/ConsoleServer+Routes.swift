import ConsoleAccess
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

typealias ConsoleContext = BasicWebSocketRequestContext

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}

/// A request's signed-in user, or why there is none.
enum Signed {
    case `in`(ConsoleSession)
    case out
}

extension ConsoleServer {
    func router() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.middlewares.add(SecurityHeaders())
        router.get("/") { [self] request, _ -> Response in
            signedIn(request) == nil ? .redirect(to: "/login", type: .normal) : .redirect(to: "/app", type: .normal)
        }
        router.get("/login") { _, _ in ConsolePages.html(ConsolePages.login(message: nil)) }
        router.post("/login") { [self] request, context in try await login(request, context: context) }
        router.post("/logout") { [self] request, context in try await logout(request, context: context) }
        router.get("/app") { [self] request, _ -> Response in
            guard let session = signedIn(request) else { return .redirect(to: "/login", type: .normal) }
            return ConsolePages.html(ConsolePages.app(session))
        }
        router.get("/assets/console.css") { _, _ in ConsolePages.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/console.js") { _, _ in ConsolePages.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/assets/mono.ttf") { _, _ in try ConsolePages.font() }
        router.get("/api/state") { [self] request, _ in
            let session = try authenticated(request)
            return try await ConsolePages.json(currentState().visible(to: session.user))
        }
        router.post("/api/action") { [self] request, context in
            let session = try authenticated(request)
            try checkCSRF(request.headers[.csrfToken], session: session)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let action: ConsoleAction
            do {
                action = try JSONDecoder().decode(ConsoleAction.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "not an action: \(error)")
            }
            let outcome = await act(action, session: session)
            return try ConsolePages.json(outcome, status: outcome.refused ? .forbidden : .ok)
        }
        addAuditRoutes(to: router)
        addEntryRoutes(to: router)
        router.get("/health") { _, _ in "ok\n" }
        router.get("/metrics") { [self] _, _ -> Response in
            guard let metrics else { throw HTTPError(.notFound, message: "no metrics in this appliance") }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics())))
        }
        router.get("/ready") { [self] _, _ in
            do {
                _ = try await backend.state()
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "not ready: \(error)\n")))
            }
        }
        return router
    }

    /// The live feed: `/live`, for a signed-in user whose page came from this console (the
    /// Origin matches the Host), carrying states out and actions in.
    func webSocketRouter() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.ws("/live") { [self] request, _ in
            guard signedIn(request) != nil, Self.sameOrigin(request) else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { [self] inbound, outbound, context in
            guard let session = signedIn(context.request) else { return }
            let (id, wakes) = hub.watch(token: session.token, user: session.user)
            defer { hub.remove(id) }
            backend.changes.notify()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask(executorPreference: executor) { [hub] in
                    // The page pulls: woken when its view has a newer version, it writes what
                    // takes it from the version it last wrote to the newest (see ConsoleHub).
                    for await _ in wakes {
                        if let text = hub.next(for: id) { try await outbound.write(.text(text)) }
                    }
                }
                tasks.addTask { [self] in
                    for try await message in inbound.messages(maxSize: 64 * 1024) {
                        guard case .text(let text) = message else { continue }
                        let outcome = await webSocketAction(text, token: session.token)
                        try await outbound.write(.text(ConsoleMessage.outcome(outcome)))
                    }
                }
                // Whichever ends first (the page closed, or the session), the other goes too.
                try await tasks.next()
                tasks.cancelAll()
            }
        }
        return router
    }

    /// An action sent over the WebSocket: `{"csrf": …, "action": {…}}`, checked as a POST is.
    private func webSocketAction(_ text: String, token: String) async -> ConsoleOutcome {
        struct Envelope: Decodable {
            let csrf: String
            let action: ConsoleAction
        }
        guard let session = access.withLock({ $0.sessions.session(token: token, now: clock()) }) else {
            return ConsoleOutcome(ok: false, message: "signed out")
        }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8))
        } catch {
            return ConsoleOutcome(ok: false, message: "not an action: \(error)")
        }
        guard access.withLock({ $0.sessions.checksCSRF(session, token: envelope.csrf) }) else {
            return ConsoleOutcome(ok: false, message: "refused: the CSRF token does not match this session")
        }
        return await act(envelope.action, session: session)
    }

    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    // MARK: Sessions

    func signedIn(_ request: Request) -> ConsoleSession? {
        guard let token = request.cookies[Self.cookieName]?.value else { return nil }
        return access.withLock { $0.sessions.session(token: token, now: clock()) }
    }

    func authenticated(_ request: Request) throws -> ConsoleSession {
        guard let session = signedIn(request) else { throw HTTPError(.unauthorized, message: "sign in first") }
        return session
    }

    func checkCSRF(_ token: String?, session: ConsoleSession) throws {
        guard let token, access.withLock({ $0.sessions.checksCSRF(session, token: token) }) else {
            throw HTTPError(.forbidden, message: "the CSRF token does not match this session")
        }
    }

    private struct LoginForm: Decodable {
        let user: String
        let password: String
    }

    private struct LogoutForm: Decodable {
        let csrf: String
    }

    /// Checks the password against the users file (read now, so a user added while running can
    /// log in), counting failures: the fifth in a row locks the name out, and that is journaled.
    func login(_ request: Request, context: ConsoleContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form: LoginForm
        do {
            form = try URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))
        } catch {
            return ConsolePages.html(ConsolePages.login(message: "Enter a user name and a password."), status: .badRequest)
        }
        let now = clock()
        if case .locked(let until) = access.withLock({ $0.logins.admit(user: form.user, now: now) }) {
            logger.notice("console login refused: locked out", metadata: ["user": "\(form.user)"])
            return ConsolePages.html(ConsolePages.login(message: "Locked out after repeated failures until \(ConsoleFormat.time(until)) UTC."),
                                     status: .tooManyRequests)
        }
        let users: UsersFile
        do {
            users = try UsersFile.load(path: configuration.usersPath)
        } catch {
            logger.error("console users file not read", metadata: ["error": "\(error)"])
            return ConsolePages.html(ConsolePages.login(message: "The console's users file cannot be read: \(error)"), status: .serviceUnavailable)
        }
        let user = users.user(named: form.user)
        let matches: Bool
        if let user {
            matches = user.password.matches(form.password)
        } else {
            // An unknown name costs a bcrypt check as a known one does: timing tells nothing.
            _ = Self.decoy.matches(form.password)
            matches = false
        }
        guard let user, matches else {
            let lockout = access.withLock { $0.logins.failed(user: form.user, now: clock()) }
            logger.notice("console login failed", metadata: ["user": "\(form.user)"])
            if let lockout {
                logger.warning("console user locked out", metadata: ["user": "\(lockout.user)", "failures": "\(lockout.failures)"])
                try await backend.record("lockout", json: ConsoleMessage.encode(ConsoleLockoutRecord(lockout)))
            }
            return ConsolePages.html(ConsolePages.login(message: "Wrong user name or password."), status: .unauthorized)
        }
        let session = access.withLock { access in
            access.logins.succeeded(user: user.name)
            return access.sessions.open(user, now: now)
        }
        try await backend.record("login", json: ConsoleMessage.encode(["user": user.name, "role": user.role.rawValue]))
        logger.info("console login", metadata: ["user": "\(user.name)", "role": "\(user.role.rawValue)"])
        var response = Response.redirect(to: "/app", type: .found)
        response.setCookie(Cookie(name: Self.cookieName, value: session.token, path: "/", secure: configuration.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, context: ConsoleContext) async throws -> Response {
        guard let session = signedIn(request) else { return .redirect(to: "/login", type: .found) }
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form = try? URLEncodedFormDecoder().decode(LogoutForm.self, from: String(buffer: body))
        try checkCSRF(form?.csrf, session: session)
        access.withLock { $0.sessions.close(token: session.token) }
        hub.close(token: session.token)
        try await backend.record("logout", json: ConsoleMessage.encode(["user": session.user.name]))
        var response = Response.redirect(to: "/login", type: .found)
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// A hash nobody's password matches, checked for unknown names.
    private static let decoy = PasswordHash(hashing: UUID().uuidString, cost: 10)
}

/// A login lock-out as the journal keeps it (`console.lockout`).
struct ConsoleLockoutRecord: Encodable {
    let user: String
    let failures: Int
    let until: Int64

    init(_ event: LockoutEvent) {
        user = event.user
        failures = event.failures
        until = event.until
    }
}

/// Headers every answer carries: nothing runs but the console's own script, nothing frames it.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ConsoleContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
