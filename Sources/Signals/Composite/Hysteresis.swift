/// Which side of its thresholds a signed reading (a z-score, a composite score) stands on.
enum HysteresisBand: Sendable, Hashable {
    case inside
    case above
    case below

    /// The band after `reading`, with hysteresis: `above` is entered at `reading ≥ entry` and
    /// left once `reading ≤ exit`; `below` is entered at `reading ≤ −entry` and left once
    /// `reading ≥ −exit`; crossing the other entry goes straight across. `mayEnter` false holds
    /// back an entry (the composite's confidence gate) but never an exit.
    static func next(after band: HysteresisBand, _ reading: Double, entry: Double, exit: Double, mayEnter: Bool = true)
        -> HysteresisBand {
        if mayEnter, reading >= entry { return .above }
        if mayEnter, reading <= -entry { return .below }
        switch band {
        case .inside: return .inside
        case .above: return reading <= exit ? .inside : .above
        case .below: return reading >= -exit ? .inside : .below
        }
    }
}
