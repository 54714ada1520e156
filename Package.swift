// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "FieldSync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fieldsync", targets: ["FieldSyncCLI"]),
        .executable(name: "fieldsync-network", targets: ["FieldSyncNetwork"]),
        .executable(name: "fieldsync-server", targets: ["FieldSyncServer"]),
        .library(name: "FieldStore", targets: ["FieldStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.3.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // The system's libsqlite3 (Debian: libsqlite3-dev) behind a module map and a small shim.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The one sanitiser for text shown to people: terminals, quoted input in errors, spreadsheet cells.
        .target(name: "TextSafety"),
        // Record kinds as data: schema documents, their checks and how a kind may evolve (Protocol/README.md §12).
        // The kind documents are compiled in (EmbeddedKinds.swift, made by Tools/embed-resources.py from Kinds/).
        .target(name: "RecordKinds", exclude: ["Kinds"]),
        // Everything a person reads, in Vietnamese and English: the laptop tools, the hub and the console link it.
        .target(name: "Localization", dependencies: ["FieldModel", "RecordKinds", "SyncCore"]),
        // A thin Swift layer over SQLite: connections, statements, transactions, migrations.
        // What differs between operating systems, and only that (README, "Platforms"): private files and folders, the
        // RAM folder, file locks, the open-file limit, the terminal, handing a process over. A port is a port of this.
        .target(name: "Platform"),
        .target(name: "SQLiteKit", dependencies: ["CSQLite", "Platform"]),
        // Releases (issue 34): the release key, signed package manifests, the hub's shelf of published packages.
        .target(name: "Releases", dependencies: ["Platform", "SyncProtocol", .product(name: "Crypto", package: "swift-crypto")]),
        // The domain: visits, services, citizen IDs, phones, communes, Vietnamese folding. No I/O.
        .target(
            name: "FieldModel",
            dependencies: ["RecordKinds", "SyncCore", "TextSafety"],
            // The units are compiled in (EmbeddedUnits.swift, made by Tools/embed-resources.py from Resources/).
            exclude: ["Resources"]
        ),
        // Citizen-ID pseudonyms by an oblivious PRF (RFC 9497, P-384): laptops blind, the hub evaluates.
        .target(name: "CitizenPseudonym", dependencies: ["SyncCore", .product(name: "CryptoExtras", package: "swift-crypto")]),
        // The laptop store's encryption: row sealing, passphrase and recovery wraps, the unlock cache.
        // Offline bundles (Protocol/README.md §9): signed with Ed25519, sealed with HPKE.
        .target(name: "OfflineBundle", dependencies: ["SyncProtocol", "WireCompression", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "StoreCrypto", dependencies: ["Platform", "TextSafety", .product(name: "Crypto", package: "swift-crypto"),
                                                    .product(name: "CryptoExtras", package: "swift-crypto")]),
        // The sync algebra: replica ids, hybrid logical clocks, version vectors, registers, merge.
        .target(name: "SyncCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The wire types of the sync protocol (Protocol/), shared by the hub and the field client.
        .target(name: "SyncProtocol", dependencies: ["SyncCore", "TextSafety"]),
        .target(name: "WireCompression", dependencies: [
            "TextSafety", .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The hub's domain and the operations every storage engine shares: merge planning, reports, enrolment rules,
        // the audit chain, the storage protocol. No storage of its own.
        .target(
            name: "HubCore",
            dependencies: ["FieldModel", "RecordKinds", "SyncCore", "SyncProtocol", "TextSafety", "CitizenPseudonym", "OfflineBundle", "Platform",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The hub's store on SQLite (the embedded default): one file; `HubService`, one writer with group commit and readers.
        .target(
            name: "HubSQLite",
            dependencies: ["HubCore", "SQLiteKit", "FieldModel", "SyncCore", "SyncProtocol", "TextSafety", "CitizenPseudonym", "OfflineBundle", "Platform",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The hub's store on PostgreSQL (postgres-nio), for several hub processes on one database.
        .target(
            name: "HubPostgres",
            dependencies: ["HubCore", "FieldModel", "SyncCore", "SyncProtocol", "TextSafety",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        // The coordinators' reports rendered as terminal tables, CSV, JSON and self-contained HTML.
        .target(name: "HubReports", dependencies: ["HubSQLite", "HubCore", "FieldModel", "Localization", "TextSafety", "ZIPFoundation"]),
        // What the hub's console and the volunteer's app share on the web: the stylesheet, form decoding, page headers.
        .target(name: "WebUI", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // The hub's HTTP endpoints on Hummingbird 2, as a library the server executable wraps.
        .target(
            name: "HubServer",
            dependencies: [
                "HubSQLite", "HubCore", "HubReports", "SyncProtocol", "CitizenPseudonym", "FieldModel", "Localization", "RecordKinds", "WireCompression", "OfflineBundle", "WebUI", "Releases",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // `fieldsync-server`: serve, enrolment codes, devices, export, reports.
        .executableTarget(
            name: "FieldSyncServer",
            dependencies: ["HubServer", "HubSQLite", "HubCore", "HubPostgres", "HubReports", "Localization", "RecordKinds", "SyncCore", "SyncProtocol", "TextSafety", "StoreCrypto", "OfflineBundle",
                           "CitizenPseudonym", "Platform", "Releases", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "HummingbirdCore", package: "hummingbird")]
        ),
        // The volunteer's replica: one SQLite file per laptop.
        .target(
            name: "FieldStore",
            dependencies: ["SQLiteKit", "FieldModel", "Localization", "RecordKinds", "SyncCore", "SyncProtocol", "StoreCrypto", "OfflineBundle", "TextSafety", "Platform"]
        ),
        // What both of the volunteer's executables share: global options, console output, the hand-off.
        .target(
            name: "CLISupport",
            dependencies: ["FieldStore", "Localization", "TextSafety", "Platform", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `fieldsync`, the volunteer's command-line tool (offline; `enroll` and `sync` hand over to fieldsync-network).
        .executableTarget(
            name: "FieldSyncCLI",
            dependencies: ["FieldStore", "CLISupport", "Localization", "Platform", "RecordKinds", "SyncProtocol", "TextSafety", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Enrolment and sync against the hub over HTTP(S) (URLSession), kept out of the offline CLI's start-up.
        .target(name: "FieldSyncClient", dependencies: ["Releases", "FieldStore", "Localization", "Platform", "SyncProtocol", "TextSafety", "CitizenPseudonym", "WireCompression",
                                                        "OfflineBundle", .product(name: "Crypto", package: "swift-crypto")]),
        // The volunteer's app (`fieldsync app`): the laptop's own web pages on 127.0.0.1 over the store, on Hummingbird.
        .target(name: "FieldApp", dependencies: ["FieldStore", "FieldSyncClient", "FieldModel", "Localization", "Platform", "RecordKinds", "StoreCrypto", "SyncCore", "SyncProtocol", "WebUI",
                                                 .product(name: "Crypto", package: "swift-crypto"),
                                                 .product(name: "Hummingbird", package: "hummingbird"),
                                                 .product(name: "Mustache", package: "swift-mustache"),
                                                 .product(name: "NIOCore", package: "swift-nio"),
                                                 .product(name: "NIOPosix", package: "swift-nio"),
                                                 .product(name: "Logging", package: "swift-log"),
                                                 .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        // `fieldsync-network`: `fieldsync enroll`, `sync`, `bundle`, `peer` and `app`.
        .executableTarget(
            name: "FieldSyncNetwork",
            dependencies: ["FieldSyncClient", "FieldApp", "CLISupport", "Localization", "SyncProtocol", "TextSafety", "OfflineBundle",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),

        // Benchmarks and tools (not part of the test build's assertions).
        .executableTarget(
            name: "fieldsync-bench",
            dependencies: ["FieldStore", "SQLiteKit", "CSQLite", "FieldSyncTesting", "HubSQLite", "HubCore", "HubServer", "HubReports", "FieldSyncClient", "HubPostgres", "CitizenPseudonym", "WireCompression", "OfflineBundle", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Bench"
        ),

        .testTarget(name: "CitizenPseudonymTests", dependencies: ["CitizenPseudonym"]),
        // Helpers shared by the test targets: temporary directories, running the built executables.
        .target(name: "FieldSyncTesting", dependencies: ["SyncCore", "FieldStore", "HubSQLite", "HubCore", "SyncProtocol", "FieldModel", "CitizenPseudonym", "Localization", "RecordKinds"], path: "Tests/FieldSyncTesting"),
        // The field simulator: many laptops against a real hub, with faults.
        .executableTarget(
            name: "fieldsync-sim",
            dependencies: ["FieldStore", "FieldSyncClient", "HubSQLite", "HubCore", "HubPostgres", "SyncCore", "FieldSyncTesting",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Simulator"
        ),
        .testTarget(name: "TextSafetyTests", dependencies: ["TextSafety"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "FieldSyncTesting"]),
        .testTarget(name: "ReleasesTests", dependencies: ["Releases", "SyncProtocol", "FieldSyncTesting"]),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit", "FieldSyncTesting"]),
        .testTarget(name: "FieldModelTests", dependencies: ["FieldModel", "RecordKinds", "SyncCore"]),
        .testTarget(name: "RecordKindsTests", dependencies: ["RecordKinds", "FieldModel", "Localization"]),
        .testTarget(name: "LocalizationTests", dependencies: ["Localization", "FieldModel", "RecordKinds", "SyncCore"]),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", "FieldSyncTesting", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FieldStoreTests", dependencies: ["FieldStore", "SQLiteKit", "FieldSyncTesting", "StoreCrypto",
                                                           .product(name: "Crypto", package: "swift-crypto")]),
        // The app's guard and pages in process (HummingbirdTesting); the browser drives it in SyncEndToEndTests.
        .testTarget(name: "FieldAppTests", dependencies: ["FieldApp", "FieldStore", "FieldModel", "Localization", "FieldSyncTesting", "WebUI",
                                                         .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "FieldSyncCLITests", dependencies: ["FieldSyncCLI", "FieldStore", "FieldSyncTesting"]),
        .testTarget(name: "SyncProtocolTests", dependencies: ["SyncProtocol", "SyncCore", "FieldSyncTesting"]),
        .testTarget(name: "WireCompressionTests", dependencies: ["WireCompression"]),
        .testTarget(name: "FieldSyncClientTests", dependencies: ["Localization", "FieldSyncClient", "FieldStore", "FieldModel", "OfflineBundle", "SyncProtocol",
                                                               "SyncCore", "FieldSyncTesting"]),
        .testTarget(name: "OfflineBundleTests", dependencies: ["OfflineBundle", "SyncProtocol", "SyncCore", "WireCompression", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "HubReportsTests",
            dependencies: ["HubReports", "HubSQLite", "HubCore", "FieldModel", "Localization", "SyncCore", "SyncProtocol", "FieldSyncTesting"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "HubSQLiteTests", dependencies: ["HubSQLite", "HubCore", "FieldStore", "FieldSyncTesting", "CitizenPseudonym"]),
        // The hub's routes in process (HummingbirdTesting), held to Protocol/openapi.yaml.
        .testTarget(
            name: "HubServerTests",
            dependencies: ["HubServer", "HubSQLite", "HubCore", "FieldStore", "FieldModel", "Localization", "RecordKinds", "SyncCore", "SyncProtocol", "FieldSyncTesting", "ZIPFoundation",
                           "CitizenPseudonym",
                           .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]
        ),
        // The storage contract on both backends, and several hubs on one PostgreSQL (Tools/postgres.sh).
        .testTarget(
            name: "HubStorageTests",
            dependencies: ["RecordKinds", "HubPostgres", "HubServer", "HubReports", "HubSQLite", "HubCore", "FieldStore", "FieldModel", "SyncCore", "SyncProtocol", "OfflineBundle",
                           "FieldSyncTesting"]
        ),
        // The whole loop: the real fieldsync-server on 127.0.0.1 and the real fieldsync against it.
        .testTarget(
            name: "SyncEndToEndTests",
            dependencies: ["FieldSyncServer", "FieldSyncNetwork", "FieldSyncCLI", "fieldsync-sim", "FieldStore", "SyncProtocol", "HubPostgres",
                           "SQLiteKit", "FieldSyncTesting", "CitizenPseudonym", "FieldSyncClient", "WireCompression"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
