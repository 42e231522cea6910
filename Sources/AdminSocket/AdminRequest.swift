import Foundation
import Instruments
import RiskSidecar

/// A request on the appliance's admin socket: one JSON object on one line. This is how a
/// person reaches the running appliance's controls (`wellhead risk …`, `wellhead venue …`,
/// `wellhead day …`, later the console).
public struct AdminRequest: Codable, Sendable, Hashable {
    public enum Command: String, Codable, Sendable, Hashable {
        /// Cancels every working order under the scope and blocks new ones.
        case engageKillSwitch = "kill-switch-engage"
        /// Lets orders through again; must name the person releasing it.
        case releaseKillSwitch = "kill-switch-release"
        /// Engaged kill switches and the utilisation of every limit.
        case status
        /// A venue profile: halt trading (cancels only) and tell every session.
        case halt = "venue-halt"
        /// A venue profile: resume trading after a halt.
        case resume = "venue-resume"
        /// A venue profile: move every month of `root` by `percent` of its price at once.
        case shock = "venue-shock"
        /// A venue profile: run the scenario in `scenario` (YAML, read from `file`).
        case scenario = "venue-scenario"
        /// The trading day in progress: its date, open, end and the next roll.
        case dayStatus = "day-status"
        /// Ends the trading day now (`by` and `reason` required), as its scheduled end would.
        case dayRoll = "day-roll"
        /// Cancels the working order `orderID` (the gateway's OrderID) for the person acting.
        case cancelOrder = "order-cancel"
        /// Cancels every working order of the account in `scope` (`account:<name>`).
        case cancelAccount = "account-cancel"
        /// Sets the trading state (`state`: ACTIVE, REDUCING or HALTED) of the firm or the
        /// account in `scope`.
        case tradingState = "trading-state"
        /// Sets one limit (`control`) at `scope` (`firm`, `account:<name>`, `session:<name>`,
        /// `root:<root>`, `symbol:<symbol>`) to `value` (empty: removes it). A change that
        /// raises the limit needs `approvedBy`, a second person, which only the console gives
        /// (the admin socket clears it): `wellhead risk` cannot raise a limit.
        case setLimit = "limit-set"
    }

    public var command: Command
    /// `firm`, `account:<account>` or `session:<OMS TargetCompID>`.
    public var scope: String?
    /// The person acting: the admin socket sets it to `os:<user>`, the operating-system user
    /// who connected (read from the kernel, whatever the client sent), so the journal records
    /// who it was rather than what they typed.
    public var by: String?
    public var reason: String?
    /// For a shock: the product root (`CL`) and the move in percent (`-30`, `12.5`).
    public var root: String?
    public var percent: String?
    /// For a scenario: the file's text, and its name for errors.
    public var scenario: String?
    public var file: String?
    /// For an order cancel: the gateway's OrderID.
    public var orderID: String?
    /// For a trading state: ACTIVE, REDUCING or HALTED.
    public var state: String?
    /// For a limit edit: the control (`maxPositionPerMonth`) and its new value (`40`).
    public var control: String?
    public var value: String?
    /// For a limit edit that raises the limit: the second person who approved it (the console's
    /// four eyes). Never taken from the admin socket.
    public var approvedBy: String?

    public init(command: Command, scope: String? = nil, by: String? = nil, reason: String? = nil,
                root: String? = nil, percent: String? = nil, scenario: String? = nil, file: String? = nil, orderID: String? = nil,
                control: String? = nil, value: String? = nil, approvedBy: String? = nil, state: String? = nil) {
        self.state = state
        self.orderID = orderID
        self.control = control
        self.value = value
        self.approvedBy = approvedBy
        self.scenario = scenario
        self.file = file
        self.command = command
        self.scope = scope
        self.by = by
        self.reason = reason
        self.root = root
        self.percent = percent
    }
}

extension AdminRequest.Command {
    /// Whether carrying it out changes anything (and so is journaled before it is answered).
    public var changesState: Bool {
        switch self {
        case .status, .dayStatus: false
        case .engageKillSwitch, .releaseKillSwitch, .halt, .resume, .shock, .scenario, .dayRoll, .cancelOrder, .cancelAccount,
             .tradingState, .setLimit: true
        }
    }
}

/// An admin request as the journal keeps it (kind `admin`), with its outcome: the gateway and
/// the venue simulator journal every request that changes anything.
public struct AdminRecord: Codable, Sendable {
    public var command: String
    public var scope: String?
    public var orderID: String?
    /// A limit edit's control, its new value and who approved it (`limit-set`).
    public var control: String?
    public var value: String?
    public var approvedBy: String?
    public var by: String?
    public var reason: String?
    public var ok: Bool
    public var message: String

    /// `request` and the answer it got.
    public init(_ request: AdminRequest, answer: AdminResponse) {
        command = request.command.rawValue
        scope = request.scope
        orderID = request.orderID
        control = request.control
        value = request.value
        approvedBy = request.approvedBy
        by = request.by
        reason = request.reason
        ok = answer.ok
        message = answer.message
    }
}

/// The appliance's answer: whether the request was carried out, what happened, and the state
/// of the controls afterwards.
public struct AdminResponse: Codable, Sendable {
    public var ok: Bool
    public var message: String
    public var engagedKillSwitches: [KillSwitchRecord]
    public var utilisation: [LimitUtilisation]
    /// The trading day in progress (after a roll, the one that began).
    public var day: TradingDayStatus?

    public init(ok: Bool, message: String, engagedKillSwitches: [KillSwitchRecord] = [], utilisation: [LimitUtilisation] = [],
                day: TradingDayStatus? = nil) {
        self.day = day
        self.ok = ok
        self.message = message
        self.engagedKillSwitches = engagedKillSwitches
        self.utilisation = utilisation
    }
}

extension AdminResponse {
    /// This answer to `request`, given once `record` has made the request durable (the JSON of
    /// its ``AdminRecord``, journaled as `admin`) when it changes anything: an acknowledged
    /// action survives a crash the moment after. A record that fails fails the answer, saying why.
    public func recorded(for request: AdminRequest, by record: (String) async throws -> Void) async -> AdminResponse {
        guard request.command.changesState else { return self }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try await record(String(decoding: try encoder.encode(AdminRecord(request, answer: self)), as: UTF8.self))
        } catch {
            var failed = self
            failed.ok = false
            failed.message = message + "; but the journal could not record it: \(error)"
            return failed
        }
        return self
    }
}

extension KillSwitchLevel {
    /// Reads `firm`, `account:<name>` or `session:<name>`.
    public init?(scope text: String) {
        if text == "firm" {
            self = .firm
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "account": self = .account(parts[1])
        case "session": self = .session(parts[1])
        default: return nil
        }
    }
}
