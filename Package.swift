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
        // Pure core: domain model, command language, rules, rendering. No files, no terminal.
        .target(name: "OrderDeskCore"),
        // Practice lessons: the lesson format, goals, grading, and the training store they start from.
        .target(name: "OrderDeskPractice", dependencies: ["OrderDeskCore"]),
        // Generated demo stores (`orderdesk init --demo`): seeded customers, catalog and history.
        .target(name: "OrderDeskDemo", dependencies: ["OrderDeskCore"]),
        // The stores: the JSON store on disk (lock, snapshot, journal) and the one on a PostgreSQL server.
        .target(name: "OrderDeskStore", dependencies: ["OrderDeskCore", "CLibpq"]),
        // libpq, PostgreSQL's client library, for the server store. scripts/setup installs libpq-dev.
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq"),
        // Shopify's orders CSV export and Admin REST JSON, turned into orders. Pure: text in, orders out.
        .target(
            name: "OrderDeskImport",
            dependencies: ["OrderDeskCore", .product(name: "CSV", package: "CSV.swift")]
        ),
        // libedit, with non-variadic wrappers in its module header. No `providers:`: its only effect
        // was SwiftPM's "install libedit using your system-packager" hint, and scripts/setup (run by
        // scripts/test and scripts/orderdesk) installs libedit-dev and pkg-config before any build.
        .systemLibrary(name: "CLibedit", pkgConfig: "libedit"),
        // Line editing around libedit: prompt, history, completion.
        .target(name: "LineEditing", dependencies: ["CLibedit"]),
        // The shell loop: live sessions, batch runs.
        .target(
            name: "OrderDeskShell",
            dependencies: [
                "OrderDeskCore", "OrderDeskStore", "OrderDeskImport", "OrderDeskPractice", "OrderDeskDemo", "LineEditing",
            ],
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
        // Test doubles and fixtures shared by the test targets (never linked into the program).
        .target(
            name: "OrderDeskTestSupport",
            dependencies: ["OrderDeskCore", "OrderDeskStore", "OrderDeskPractice", "OrderDeskShell"],
            path: "Tests/OrderDeskTestSupport"
        ),
        // Fast tests, one target per source target: unit tests and golden transcripts, all in-process.
        // OrderDeskDemo and OrderDeskImport for the ledger property tests, which start from demo stores and imported orders.
        .testTarget(
            name: "OrderDeskCoreTests",
            dependencies: ["OrderDeskCore", "OrderDeskPractice", "OrderDeskTestSupport", "OrderDeskDemo", "OrderDeskImport"]
        ),
        .testTarget(name: "OrderDeskPracticeTests", dependencies: ["OrderDeskPractice", "OrderDeskCore", "OrderDeskTestSupport"]),
        .testTarget(name: "OrderDeskDemoTests", dependencies: ["OrderDeskDemo", "OrderDeskCore"]),
        .testTarget(
            name: "OrderDeskStoreTests",
            dependencies: ["OrderDeskStore", "OrderDeskCore", "OrderDeskDemo", "OrderDeskPractice", "OrderDeskTestSupport"],
            // Stores written by OrderDesk of version 1, read through #filePath.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "OrderDeskImportTests",
            dependencies: [
                "OrderDeskImport", "OrderDeskCore", "OrderDeskStore", "OrderDeskShell", "OrderDeskPractice", "OrderDeskTestSupport",
            ],
            // Export files in Shopify's formats, read through #filePath.
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "LineEditingTests", dependencies: ["LineEditing"]),
        .testTarget(
            name: "OrderDeskShellTests",
            dependencies: [
                "OrderDeskShell", "OrderDeskStore", "OrderDeskCore", "OrderDeskImport", "OrderDeskPractice", "OrderDeskTestSupport",
            ],
            // Golden transcripts (NAME.txt in, NAME.expected out), read through #filePath.
            exclude: ["Transcripts"]
        ),
        // Slow, process-level proofs: the built `orderdesk` run as a child (batch runs, kill -9,
        // races between processes, pty sessions) and the store's torture and permission tests.
        .testTarget(
            name: "OrderDeskProcessTests",
            dependencies: [
                "OrderDeskShell", "OrderDeskStore", "OrderDeskCore", "OrderDeskPractice", "OrderDeskDemo", "OrderDeskTestSupport",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
