import Testing

@testable import OrderDeskImport

@Suite struct ShopifyImportTests {}
