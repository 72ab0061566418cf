// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "OrderDesk",
    products: [
        .executable(name: "orderdesk", targets: ["orderdesk"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // A maintained CSV reader/writer for Shopify's orders export (quoted commas and newlines).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // Pure core: domain model, command language, rules. No files, no terminal.
        .target(name: "OrderDeskCore"),
        // The JSON store on disk: lock, snapshot, journal.
        .target(name: "OrderDeskStore", dependencies: ["OrderDeskCore"]),
        // Shopify's orders CSV export and Admin REST JSON, turned into orders. Pure: text in, orders out.
        .target(
            name: "OrderDeskImport",
            dependencies: ["OrderDeskCore", .product(name: "CSV", package: "CSV.swift")]
        ),
        // libedit, with non-variadic wrappers in its module header.
        .systemLibrary(
            name: "CLibedit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Line editing around libedit: prompt, history, completion.
        .target(name: "LineEditing", dependencies: ["CLibedit"]),
        // The shell loop: live sessions, batch runs.
        .target(
            name: "OrderDeskShell",
            dependencies: ["OrderDeskCore", "OrderDeskStore", "OrderDeskImport", "LineEditing"],
            // The built-in practice lessons, one JSON file each (read with Bundle.module).
            resources: [.copy("Practice/Lessons")]
        ),
        // The thin executable.
        .executableTarget(
            name: "orderdesk",
            dependencies: [
                "OrderDeskShell",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test harness for the process-level crash tests: opens a store with a test hook set in
        // its options (the shipped binary has none). Built, never shipped.
        .executableTarget(
            name: "StoreHarness", dependencies: ["OrderDeskStore", "OrderDeskCore"], path: "Tests/StoreHarness"),
        .testTarget(name: "OrderDeskCoreTests", dependencies: ["OrderDeskCore"]),
        .testTarget(name: "OrderDeskStoreTests", dependencies: ["OrderDeskStore", "OrderDeskCore"]),
        .testTarget(
            name: "OrderDeskImportTests",
            dependencies: ["OrderDeskImport", "OrderDeskCore", "OrderDeskStore", "OrderDeskShell"],
            // Export files in Shopify's formats, read through #filePath.
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "LineEditingTests", dependencies: ["LineEditing"]),
        .testTarget(
            name: "OrderDeskShellTests",
            dependencies: ["OrderDeskShell", "OrderDeskStore", "OrderDeskCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
