/// Whether a new version of a kind may follow the published one: fields and options are only added or retired,
/// rules only added, labels changed (Protocol/README.md §12). Records keep validating against the version they were
/// written under, and a laptop that has not received the new version still round-trips every register.
public enum KindEvolution {
    /// Why a new version is refused (the codes of Protocol/vectors/kind-evolution.json).
    public enum Refusal: String, Sendable, CaseIterable {
        case invalid, kindRenamed = "kind-renamed", versionNotNext = "version-not-next", fieldRemoved = "field-removed"
        case fieldMoved = "field-moved", fieldTypeChanged = "field-type-changed", fieldUnretired = "field-unretired"
        case optionRemoved = "option-removed", optionUnretired = "option-unretired", requiredAdded = "required-added"
        case requiredWithoutDefault = "required-without-default", groupChanged = "group-changed", ruleRemoved = "rule-removed"
    }

    /// Checks that `new` may be published after `old`.
    /// - Throws: `KindError.incompatible` with the refusal and what caused it.
    public static func check(_ new: RecordKind, after old: RecordKind) throws(KindError) {
        func refuse(_ refusal: Refusal, _ detail: String) -> KindError { .incompatible(refusal, detail: detail) }
        guard new.problems.isEmpty else { throw refuse(.invalid, new.problems.joined(separator: "; ")) }
        guard new.kind == old.kind else { throw refuse(.kindRenamed, "\(old.kind) cannot become \(new.kind)") }
        guard new.version == old.version + 1 else { throw refuse(.versionNotNext, "the next version of \(old.version) is \(old.version + 1)") }
        for (position, before) in old.fields.enumerated() {
            guard new.field(before.name) != nil else { throw refuse(.fieldRemoved, "\(before.name) is gone: retire it instead") }
            guard new.fields[position].name == before.name else {
                throw refuse(.fieldMoved, "\(before.name) must stay at position \(position + 1)")
            }
        }
        for (before, after) in zip(old.fields, new.fields) {
            guard after.type == before.type else { throw refuse(.fieldTypeChanged, "\(before.name) stays \(before.type.rawValue)") }
            guard before.retired != true || after.retired == true else { throw refuse(.fieldUnretired, "\(before.name) was retired") }
            guard after.required != true || before.required == true else {
                throw refuse(.requiredAdded, "\(before.name) was optional: records without it would stop validating")
            }
            let oldOptions = before.options ?? [], newOptions = after.options ?? []
            guard newOptions.prefix(oldOptions.count).map(\.code) == oldOptions.map(\.code) else {
                throw refuse(.optionRemoved, "\(before.name) keeps its options, in order: retire one instead")
            }
            for (o, n) in zip(oldOptions, newOptions) where o.retired == true && n.retired != true {
                throw refuse(.optionUnretired, "\(before.name): \(o.code) was retired")
            }
        }
        for added in new.fields.dropFirst(old.fields.count) where added.required == true && added.default == nil {
            throw refuse(.requiredWithoutDefault, "\(added.name) is required: give it a default for the records written before")
        }
        let oldNames = Set(old.fields.map(\.name))
        guard new.groups.filter({ !Set($0).isDisjoint(with: oldNames) }) == old.groups else {
            throw refuse(.groupChanged, "the merge groups of existing fields stay as they are")
        }
        guard Array(new.rules.prefix(old.rules.count)) == old.rules else {
            throw refuse(.ruleRemoved, "published rules stay; new ones are added after them")
        }
    }
}
