import OrderDeskCore

/// Reads Shopify's orders exports (CSV or Admin REST JSON) into orders.
public enum ShopifyImport {}
