import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A console user's HTTP client for tests: signs in with the login form, keeps the session
/// cookie, reads the CSRF token from the page, and posts actions as the page's script does.
/// Redirects are not followed, so each answer is the server's own.
public final class ConsoleClient: @unchecked Sendable {
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
    }

    public let base: String
    public private(set) var cookie: String?
    public private(set) var csrf: String?
    private let session: URLSession
    private let delegate = NoRedirects()

    public init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    public func request(_ method: String, _ path: String, body: String? = nil, contentType: String? = nil,
                        headers: [String: String] = [:]) throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<Result<Answer, any Error>?>(nil)
        session.dataTask(with: request) { data, response, error in
            if let error {
                result.set(.failure(error))
            } else if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in response.allHeaderFields {
                    headers[String(describing: name).lowercased()] = String(describing: value)
                }
                result.set(.success(Answer(status: response.statusCode, headers: headers, body: String(decoding: data ?? Data(), as: UTF8.self))))
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 60) == .success, let answer = result.get() else {
            throw ConsoleClientError(message: "\(method) \(path): no answer within 60 s")
        }
        return try answer.get()
    }

    /// Signs in; returns the login's answer (a redirect to /app on success). On success the
    /// session cookie and the page's CSRF token are kept.
    @discardableResult
    public func signIn(_ user: String, _ password: String) throws -> Answer {
        let form = "user=\(Self.formEncoded(user))&password=\(Self.formEncoded(password))"
        let answer = try request("POST", "/login", body: form, contentType: "application/x-www-form-urlencoded")
        guard answer.status == 302, let setCookie = answer.headers["set-cookie"], let pair = setCookie.split(separator: ";").first else {
            return answer
        }
        cookie = String(pair)
        let page = try request("GET", "/app")
        if let range = page.body.range(of: "<meta name=\"csrf\" content=\""),
           let end = page.body[range.upperBound...].firstIndex(of: "\"") {
            csrf = String(page.body[range.upperBound..<end])
        }
        return answer
    }

    /// Posts an action (its JSON) with the session's CSRF token, or `csrf` instead.
    public func act(_ json: String, csrf token: String? = nil) throws -> Answer {
        try request("POST", "/api/action", body: json, contentType: "application/json", headers: ["X-CSRF-Token": token ?? csrf ?? ""])
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }
}

public struct ConsoleClientError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A value shared between a callback and the thread waiting for it.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.withLock { value = new } }
    func get() -> Value { lock.withLock { value } }
}
