import FIXCodec
import FIXVocabulary
import Instruments

/// What an OMS asked for in a NewOrderSingle or the replacing half of a cancel/replace:
/// the terms of an order, checked and typed.
public struct OrderTerms: Sendable, Hashable, Codable {
    public var account: String
    public var symbol: String
    public var side: Side
    public var type: OrderType
    public var timeInForce: TimeInForce
    /// Contracts: futures trade in whole contracts.
    public var quantity: Int64
    public var price: FIXDecimal?
    public var stopPrice: FIXDecimal?
    /// ExpireTime (126) of a GTD order, nanoseconds since the epoch.
    public var expireTime: Int64?

    public init(account: String, symbol: String, side: Side, type: OrderType, timeInForce: TimeInForce, quantity: Int64,
                price: FIXDecimal? = nil, stopPrice: FIXDecimal? = nil, expireTime: Int64? = nil) {
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.expireTime = expireTime
    }
}

/// A cancel or a replace the OMS asked for and the venue has not yet confirmed.
public struct PendingChange: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        case cancel
        case replace(OrderTerms)
    }

    public var kind: Kind
    /// The ClOrdID of the cancel or replace request, which becomes the order's ClOrdID once
    /// the venue confirms.
    public var clOrdID: String

    public init(kind: Kind, clOrdID: String) {
        self.kind = kind
        self.clOrdID = clOrdID
    }
}

/// One order as the gateway tracks it for the OMS: FIX 4.4's order state machine, with
/// quantities and the average price kept exact.
///
/// Each transition returns the ``ExecutionReport`` to send, so the caller cannot change the
/// state without telling the OMS.
public struct ClientOrder: Sendable, Hashable, Codable {
    public let orderID: String
    /// The OMS session the order came from, as `SenderCompID->TargetCompID` text.
    public let session: String
    public private(set) var clOrdID: String
    public private(set) var origClOrdID: String?
    public private(set) var terms: OrderTerms
    public private(set) var status: OrderStatus
    public private(set) var cumQty: Int64 = 0
    /// Σ price × quantity over the fills: the average price is this over `cumQty`.
    public private(set) var filledNotional: FIXDecimal = .zero
    public private(set) var pending: PendingChange?
    /// ExecIDs are `<OrderID>-<n>`: unique, and the same after a restart that replays the
    /// journal.
    public private(set) var executions: Int = 0
    /// The person who entered the order, when its NewOrderSingle named one (Parties, PartyRole
    /// 11 Order Origination Trader): the signed-in user of an order entered in the console.
    public let enteredBy: String?

    public init(orderID: String, session: String, clOrdID: String, terms: OrderTerms, enteredBy: String? = nil) {
        self.orderID = orderID
        self.session = session
        self.clOrdID = clOrdID
        self.terms = terms
        self.status = .pendingNew
        self.enteredBy = enteredBy
    }

    public var leavesQty: Int64 { status.isTerminal ? 0 : max(0, terms.quantity - cumQty) }
    public var isWorking: Bool { !status.isTerminal && status != .pendingNew }

    /// The average fill price, six decimals past the price's own (enough for any oil tick).
    public var averagePrice: FIXDecimal {
        guard cumQty > 0 else { return .zero }
        let scale = min(FIXDecimal.maxScale, max(filledNotional.scale, terms.price?.scale ?? 0) + 6)
        return (filledNotional.divided(by: FIXDecimal(mantissa: cumQty), toScale: scale) ?? .zero).normalized
    }

    // MARK: Transitions

    /// The order was received and passed the checks; the venue has it.
    public mutating func pendingNew() -> ExecutionReport { report(.pendingNew) }

    /// The venue accepted the order onto its book.
    public mutating func accepted() -> ExecutionReport {
        status = .new
        return report(.new)
    }

    /// The order was refused, by the risk sidecar or the venue.
    public mutating func rejected(_ reason: OrdRejReason, text: String) -> ExecutionReport {
        status = .rejected
        var report = report(.rejected)
        report.rejectReason = reason
        report.text = text
        return report
    }

    /// A fill of `quantity` at `price`.
    public mutating func filled(_ quantity: Int64, at price: FIXDecimal) -> ExecutionReport {
        cumQty += quantity
        filledNotional += price * FIXDecimal(mantissa: quantity)
        if cumQty >= terms.quantity {
            status = .filled
            pending = nil
        } else if pending == nil {
            status = .partiallyFilled
        }
        var report = report(.trade)
        report.lastQty = quantity
        report.lastPrice = price
        return report
    }

    /// The OMS asked to cancel or replace; the venue has been asked.
    public mutating func requested(_ change: PendingChange) -> ExecutionReport {
        pending = change
        switch change.kind {
        case .cancel:
            status = .pendingCancel
            return report(.pendingCancel, clOrdID: change.clOrdID, origClOrdID: clOrdID)
        case .replace:
            status = .pendingReplace
            return report(.pendingReplace, clOrdID: change.clOrdID, origClOrdID: clOrdID)
        }
    }

    /// The venue canceled the order: at the OMS's request (the pending cancel's ClOrdID is
    /// reported), or on its own (IOC remainder, self-trade, end of a market order).
    public mutating func canceled(text: String? = nil) -> ExecutionReport {
        var previous: String?
        if let pending, case .cancel = pending.kind {
            previous = clOrdID
            origClOrdID = clOrdID
            clOrdID = pending.clOrdID
        }
        pending = nil
        status = .canceled
        var report = report(.canceled, origClOrdID: previous)
        report.text = text
        return report
    }

    /// The venue applied the pending replace: the new terms and ClOrdID take effect.
    public mutating func replaced() -> ExecutionReport? {
        guard let pending, case .replace(let newTerms) = pending.kind else { return nil }
        origClOrdID = clOrdID
        clOrdID = pending.clOrdID
        terms = newTerms
        self.pending = nil
        status = cumQty >= newTerms.quantity ? .filled : (cumQty > 0 ? .partiallyFilled : .new)
        return report(.replaced, origClOrdID: origClOrdID)
    }

    /// The venue refused the pending change; the order goes on as before.
    public mutating func changeRefused() {
        pending = nil
        status = cumQty > 0 ? .partiallyFilled : .new
    }

    /// A GTD order reached its ExpireTime, or a day order the end of the day.
    public mutating func expired(text: String? = nil) -> ExecutionReport {
        pending = nil
        status = .expired
        var report = report(.expired)
        report.text = text
        return report
    }

    /// An answer to an OrderStatusRequest: no state changes, ExecType=I.
    public mutating func statusReport() -> ExecutionReport { report(.orderStatus) }

    private mutating func report(_ type: ExecType, clOrdID: String? = nil, origClOrdID: String? = nil) -> ExecutionReport {
        executions += 1
        return ExecutionReport(
            orderID: orderID, execID: "\(orderID)-\(executions)", clOrdID: clOrdID ?? self.clOrdID,
            origClOrdID: origClOrdID,
            execType: type, status: status, terms: .order(terms), cumQty: cumQty, leavesQty: leavesQty, averagePrice: averagePrice)
    }
}
