import FIXCodec

/// The application-layer tags Wellhead reads and writes, by their FIX 4.4 names. The session
/// header and trailer tags the codec needs are declared with ``FIXTag`` in FIXCodec; these extend
/// it, so every tag name lives on the one type.
extension FIXTag {
    // Routing fields of the standard header, which a rebuilt message keeps.
    public static let senderSubID = 50
    public static let targetSubID = 57
    public static let onBehalfOfCompID = 115
    public static let onBehalfOfSubID = 116
    public static let deliverToCompID = 128
    public static let deliverToSubID = 129
    public static let senderLocationID = 142
    public static let targetLocationID = 143
    public static let onBehalfOfLocationID = 144
    public static let deliverToLocationID = 145
    public static let lastMsgSeqNumProcessed = 369

    // Application fields.
    public static let account = 1
    public static let avgPx = 6
    public static let clOrdID = 11
    public static let cumQty = 14
    public static let currency = 15
    public static let execID = 17
    public static let lastPx = 31
    public static let lastQty = 32
    public static let orderID = 37
    public static let orderQty = 38
    public static let ordStatus = 39
    public static let ordType = 40
    public static let origClOrdID = 41
    public static let price = 44
    public static let refSeqNum = 45
    public static let securityID = 48
    public static let side = 54
    public static let symbol = 55
    public static let text = 58
    public static let timeInForce = 59
    public static let transactTime = 60
    public static let stopPx = 99
    public static let exDestination = 100
    public static let cxlRejReason = 102
    public static let ordRejReason = 103
    public static let securityDesc = 107
    public static let expireTime = 126
    public static let execType = 150
    public static let leavesQty = 151
    public static let securityType = 167
    public static let maturityMonthYear = 200
    public static let securityExchange = 207
    public static let contractMultiplier = 231
    public static let underlyingSymbol = 311
    public static let mdReqID = 262
    public static let subscriptionRequestType = 263
    public static let marketDepth = 264
    public static let mdUpdateType = 265
    public static let aggregatedBook = 266
    public static let noMDEntryTypes = 267
    public static let noMDEntries = 268
    public static let mdEntryType = 269
    public static let mdEntryPx = 270
    public static let mdEntrySize = 271
    public static let mdUpdateAction = 279
    public static let mdReqRejReason = 281
    public static let mdEntryPositionNo = 290
    public static let securityReqID = 320
    public static let securityResponseID = 322
    public static let securityResponseType = 323
    public static let unsolicitedIndicator = 325
    public static let securityTradingStatus = 326
    public static let tradSesReqID = 335
    public static let tradingSessionID = 336
    public static let tradSesStatus = 340
    public static let numberOfOrders = 346
    public static let refTagID = 371
    public static let sessionRejectReason = 373
    public static let businessRejectReason = 380
    public static let totNoRelatedSym = 393
    public static let cxlRejResponseTo = 434
    public static let massCancelRequestType = 530
    public static let massCancelResponse = 531
    public static let massCancelRejectReason = 532
    public static let totalAffectedOrders = 533
    public static let maturityDate = 541
    public static let legSymbol = 600
    public static let securityListRequestType = 559
    public static let securityRequestResult = 560
    public static let massStatusReqID = 584
    public static let massStatusReqType = 585
    public static let lastRptRequested = 912
    public static let totNumReports = 911
    public static let securityStatusReqID = 324
    public static let lastFragment = 893
    public static let noRelatedSym = 146
    // The Parties group (FIX 4.4 component block): who acted, in which role.
    public static let noPartyIDs = 453
    public static let partyID = 448
    public static let partyIDSource = 447
    public static let partyRole = 452
}
