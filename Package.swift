// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "FieldSync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fieldsync", targets: ["FieldSyncCLI"]),
        .library(name: "FieldStore", targets: ["FieldStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The system's libsqlite3 (Debian: libsqlite3-dev) behind a module map and a small shim.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // A thin Swift layer over SQLite: connections, statements, transactions, migrations.
        .target(name: "SQLiteKit", dependencies: ["CSQLite"]),
        // The domain: visits, services, citizen IDs, phones, communes, Vietnamese folding. No I/O.
        .target(
            name: "FieldModel",
            dependencies: ["SyncCore"],
            resources: [
                .copy("Resources/admin-units-2025.csv"),
                .copy("Resources/commune-merges-2025.csv"),
                .copy("Resources/LICENSE-dvhcvn-20250701.txt"),
            ]
        ),
        // The sync algebra: replica ids, hybrid logical clocks, version vectors, registers, merge.
        .target(name: "SyncCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The volunteer's replica: one SQLite file per laptop.
        .target(name: "FieldStore", dependencies: ["SQLiteKit", "FieldModel", "SyncCore"]),
        // `fieldsync`, the volunteer's command-line tool.
        .executableTarget(
            name: "FieldSyncCLI",
            dependencies: ["FieldStore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Benchmarks and tools (not part of the test build's assertions).
        .executableTarget(
            name: "fieldsync-bench",
            dependencies: ["FieldStore", "SQLiteKit", "CSQLite", "FieldSyncTesting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Bench"
        ),

        // Helpers shared by the test targets: temporary directories, running the built executables.
        .target(name: "FieldSyncTesting", dependencies: ["SyncCore"], path: "Tests/FieldSyncTesting"),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit", "FieldSyncTesting"]),
        .testTarget(name: "FieldModelTests", dependencies: ["FieldModel"]),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", "FieldSyncTesting", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FieldStoreTests", dependencies: ["FieldStore", "SQLiteKit", "FieldSyncTesting"]),
        .testTarget(name: "FieldSyncCLITests", dependencies: ["FieldSyncCLI", "FieldStore", "FieldSyncTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
