/// `report`: cancellation rates, reasons and trends.
extension Desk {
    static func report(_ q: ReportQuery, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        throw .notAvailableYet("report")
    }
}
