import FIXCodec
import Instruments

/// Rebuilding the sidecar's state after a restart from what was journaled: state is set as it
/// was, nothing is re-executed (a kill switch restored cancels nothing, a fill restored is not
/// a new fill for any order).
extension RiskEngine {
    /// A kill switch record as it was journaled (engaged, or engaged and later released), in
    /// journal order: the switch ends as the last record left it, and the history holds each.
    public mutating func restoreKillSwitch(_ record: KillSwitchRecord) {
        let index = owner(of: record.level)
        if record.isEngaged {
            owners[index].killSwitch = record
            killSwitchHistory.append(record)
            return
        }
        owners[index].killSwitch = nil
        if let position = killSwitchHistory.lastIndex(where: { $0.level == record.level && $0.isEngaged }) {
            killSwitchHistory[position] = record
        } else {
            killSwitchHistory.append(record)
        }
    }

    /// A fill journaled before the restart: its position counts again for the firm, the account
    /// and the session (when known), valued at the mark, as ``orderFilled(key:quantity:price:now:)``
    /// left it. Working orders are restored separately, with their filled quantity.
    public mutating func restoreFill(_ fill: RiskFill) {
        guard let root = rootIndex[fill.root], fill.quantity > 0 else { return }
        let symbol = internSymbol(fill.symbol, root: root)
        let delta = fill.side.sign * fill.quantity
        symbols[symbol].lastFill = Fixed.raw(fill.price)
        changePosition(0, symbol, delta)
        changePosition(accountOwner(fill.account), symbol, delta)
        if let session = fill.session { changePosition(sessionOwner(session), symbol, delta) }
        updateMark(symbol)
    }

    /// The accounts an OMS session may trade: an order from it for any other account is
    /// rejected (``RiskCheck/unknownAccount``, OrdRejReason 15).
    public mutating func permitAccounts(_ accounts: some Sequence<String>, session: String) {
        let owner = sessionOwner(session)
        owners[owner].permittedAccounts = accounts.map { accountOwner($0) }
    }
}

/// A fill as the sidecar counts it into positions.
public struct RiskFill: Sendable, Hashable {
    public var account: String
    /// The OMS session whose order filled, when the record names it.
    public var session: String?
    public var symbol: String
    public var root: String
    public var side: Side
    public var quantity: Int64
    public var price: FIXDecimal

    public init(account: String, session: String?, symbol: String, root: String, side: Side, quantity: Int64, price: FIXDecimal) {
        self.account = account
        self.session = session
        self.symbol = symbol
        self.root = root
        self.side = side
        self.quantity = quantity
        self.price = price
    }
}
