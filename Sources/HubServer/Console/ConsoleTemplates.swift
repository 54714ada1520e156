import Mustache

/// The console's pages as mustache templates, compiled into the binary (a hub on a provincial intranet
/// serves everything itself: no CDN, no files beside the executable). Values are HTML-escaped by
/// mustache; `{{{svg}}}` is SVG the console drew itself from escaped text.
enum ConsoleTemplates {
    /// The library of every page, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            // The templates are constants of this file, parsed by a test: a failure here is a programming error.
            do { try library.register(text, named: name) } catch { preconditionFailure("console template \(name): \(error)") }
        }
        return library
    }()

    static let templates: [String: String] = [
        "layout": layout, "sign-in": signIn, "join": join, "overview": overview, "visits": visits, "visit": visit,
        "conflicts": conflicts, "duplicates": duplicates, "kinds": kinds, "sessions": sessions, "villages": villages, "coverage": coverage, "households": households, "devices": devices, "quarantine": quarantine, "exports": exports, "message": message, "confirm": confirm, "quality": quality,
    ]

    static let layout = """
        <!doctype html>
        <html lang="{{t.lang}}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · FieldSync</title>
        <link rel="stylesheet" href="/console/style.css?v={{style_version}}">
        </head><body>
        <header><strong>FieldSync</strong>
        {{#session}}<nav>
        <a href="/console/overview" {{#nav_overview}}class="on"{{/nav_overview}}>{{t.nav_overview}}</a>
        <a href="/console/visits" {{#nav_visits}}class="on"{{/nav_visits}}>{{t.nav_visits}}</a>
        <a href="/console/visits?review=queue" id="nav-review">{{t.nav_review}}</a>
        <a href="/console/quality" {{#nav_quality}}class="on"{{/nav_quality}} id="nav-quality">{{t.nav_quality}}</a>
        <a href="/console/conflicts" {{#nav_conflicts}}class="on"{{/nav_conflicts}}>{{t.nav_conflicts}}</a>
        <a href="/console/duplicates" {{#nav_duplicates}}class="on"{{/nav_duplicates}}>{{t.nav_duplicates}}</a>
        <a href="/console/devices" {{#nav_devices}}class="on"{{/nav_devices}}>{{t.nav_devices}}</a>
        <a href="/console/quarantine" {{#nav_quarantine}}class="on"{{/nav_quarantine}}>{{t.nav_quarantine}}</a>
        <a href="/console/exports" {{#nav_exports}}class="on"{{/nav_exports}}>{{t.nav_exports}}</a>
        <a href="/console/sessions" {{#nav_sessions}}class="on"{{/nav_sessions}}>{{t.nav_sessions}}</a>
        <a href="/console/villages" {{#nav_villages}}class="on"{{/nav_villages}}>{{t.nav_villages}}</a>
        <a href="/console/households" {{#nav_households}}class="on"{{/nav_households}}>{{t.nav_households}}</a>
        <a href="/console/coverage" {{#nav_coverage}}class="on"{{/nav_coverage}}>{{t.nav_coverage}}</a>
        <a href="/console/kinds" {{#nav_kinds}}class="on"{{/nav_kinds}}>{{t.nav_kinds}}</a></nav>
        <span class="who">{{t.signed_in_as}} {{login}} · {{area}}
        <form method="post" action="/console/sign-out" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="sign-out">{{t.sign_out}}</button></form></span>{{/session}}
        <a href="?lang={{t.other_lang}}" class="lang">{{t.other_lang_name}}</a>
        </header>
        <main>{{$body}}{{/body}}</main></body></html>
        """

    static let signIn = """
        {{<layout}}{{$body}}<div class="box"><h1>{{t.sign_in}}</h1>
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/console/sign-in">
        <label>{{t.login}}<input name="login" id="login" autocomplete="username" required maxlength="64"></label>
        <label>{{t.passphrase}}<input name="passphrase" id="passphrase" type="password" autocomplete="current-password" required maxlength="200"></label>
        <button id="submit">{{t.sign_in}}</button></form>
        <p><a href="/console/join">{{t.have_code}}</a></p></div>{{/body}}{{/layout}}
        """

    static let join = """
        {{<layout}}{{$body}}<div class="box"><h1>{{t.join}}</h1><p class="muted">{{t.join_hint}}</p>
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/console/join">
        <label>{{t.code}}<input name="code" id="code" required maxlength="64" autocomplete="off"></label>
        <label>{{t.login}}<input name="login" id="login" required maxlength="64" autocomplete="username"></label>
        <label>{{t.passphrase}}<input name="passphrase" id="passphrase" type="password" required minlength="12" maxlength="200" autocomplete="new-password"></label>
        <label>{{t.passphrase_again}}<input name="again" id="again" type="password" required minlength="12" maxlength="200" autocomplete="new-password"></label>
        <button id="submit">{{t.join}}</button></form>
        <p><a href="/console/sign-in">{{t.have_account}}</a></p></div>{{/body}}{{/layout}}
        """

    static let periodForm = """
        <form class="filters" method="get"><label>{{t.from}}<input name="since" value="{{since_shown}}" placeholder="{{t.date_placeholder}}" inputmode="numeric" size="10" maxlength="10"></label>
        <label>{{t.to}}<input name="until" value="{{until_shown}}" placeholder="{{t.date_placeholder}}" inputmode="numeric" size="10" maxlength="10"></label><button>{{t.apply}}</button></form>
        """

    static let overview = """
        {{<layout}}{{$body}}<h1>{{t.nav_overview}} — {{area}}</h1><p class="muted">{{period}} · {{t.times_in}}</p>
        \(periodForm)
        <div class="cards" id="totals">{{#totals}}<div class="card"><span>{{label}}</span><b>{{value}}</b></div>{{/totals}}</div>
        {{#quiet_count}}<h2>{{t.quiet}}: {{quiet_count}}</h2><p class="muted">{{t.quiet_hint}}</p>
        <details id="quiet"><summary>{{quiet_preview}}</summary><p>{{quiet_all}}</p></details>{{/quiet_count}}
        <h2>{{t.trend}}</h2>{{{trend_svg}}}
        <h2>{{t.by_commune}}</h2>{{{communes_svg}}}
        <table class="stack" id="communes"><thead><tr><th>{{t.commune}}</th><th class="n">{{t.visits}}</th><th class="n">{{t.done}}</th>
        <th class="n">{{t.failed}}</th><th class="n">{{t.citizens}}</th><th class="n">{{t.target}}</th><th class="n">{{t.reached}}</th></tr></thead><tbody>
        {{#communes}}<tr><td data-label="{{t.commune}}"><a href="/console/visits?commune={{code}}">{{name}}</a></td><td class="n" data-label="{{t.visits}}">{{visits}}</td>
        <td class="n" data-label="{{t.done}}">{{done}}</td><td class="n" data-label="{{t.failed}}">{{failed}}</td>
        <td class="n" data-label="{{t.citizens}}">{{citizens}}</td><td class="n" data-label="{{t.target}}">{{target}}</td><td class="n" data-label="{{t.reached}}">{{percent}}</td></tr>{{/communes}}
        </tbody></table>
        <h2>{{t.reasons}}</h2>{{{reasons_svg}}}{{/body}}{{/layout}}
        """

    static let visits = """
        {{<layout}}{{$body}}<h1>{{t.nav_visits}} — {{area}}</h1><p class="muted">{{t.times_in}}</p>
        <form class="filters" method="get" id="visit-filters">{{#mode}}<input type="hidden" name="review" value="{{mode}}">{{/mode}}{{#sample}}<input type="hidden" name="seed" value="{{seed}}">{{/sample}}
        <label>{{t.search_name}}<input name="name" id="name" value="{{q.name}}" maxlength="80"></label>
        <label>{{t.commune}}<input name="commune" id="commune" value="{{q.commune}}" maxlength="5" size="6" inputmode="numeric"></label>
        <label>{{t.team}}<input name="team" value="{{q.team}}" maxlength="40" size="8"></label>
        <label>{{t.volunteer}}<input name="volunteer" value="{{q.volunteer}}" maxlength="80"></label>
        <label>{{t.service}}<select name="service"><option value="">{{t.all}}</option>{{#services}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{title}}</option>{{/services}}</select></label>
        <label>{{t.outcome}}<select name="outcome"><option value="">{{t.all}}</option>{{#outcomes}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{title}}</option>{{/outcomes}}</select></label>
        <label>{{t.from}}<input name="since" value="{{q.since_shown}}" placeholder="{{t.date_placeholder}}" inputmode="numeric" size="10" maxlength="10"></label><label>{{t.to}}<input name="until" value="{{q.until_shown}}" placeholder="{{t.date_placeholder}}" inputmode="numeric" size="10" maxlength="10"></label>
        {{#sample}}<label>{{t.sample_percent}}<input name="percent" value="{{percent}}" size="3" maxlength="3" inputmode="numeric"></label>{{/sample}}
        <button id="filter">{{t.apply}}</button></form>
        {{#sample}}<h2 id="sample">{{t.page_sample}}</h2><p class="muted">{{hint}} <a href="{{new_sample}}" id="new-sample">{{t.sample_new}}</a></p>{{/sample}}
        {{#queue_page}}<p><a href="/console/visits?review=sample" id="sample-link">{{t.sample_link}}</a></p>{{/queue_page}}
        {{#search_cut}}<p class="error">{{t.search_cut}}</p>{{/search_cut}}
        {{^rows}}<p id="no-visits">{{t.no_visits}}</p>{{/rows}}
        {{#queue}}<form method="post" action="/console/review" id="review-queue"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
        <p class="filters"><label>{{t.review_state}}<select name="state" id="queue-state">{{#review_states}}<option value="{{code}}">{{label}}</option>{{/review_states}}</select></label>
        <label>{{t.review_comment}}<input name="comment" maxlength="500" size="40"></label><button id="queue-submit">{{t.review_apply}}</button></p>{{/queue}}
        {{#has_rows}}<table class="stack" id="visits"><thead><tr>{{#queue}}<th></th>{{/queue}}<th>{{t.visited_at}}</th><th>{{t.name}}</th><th>{{t.service}}</th><th>{{t.outcome}}</th>
        <th>{{t.commune}}</th><th>{{t.team}}</th><th>{{t.volunteer}}</th>{{#sample}}<th>{{t.phone}}</th>{{/sample}}<th>{{t.review_card}}</th></tr></thead><tbody>
        {{#rows}}<tr>{{#queue}}<td><input type="checkbox" name="v.{{id}}" value="1" class="pick" aria-label="{{name}}"></td>{{/queue}}<td data-label="{{t.visited_at}}">{{time}}</td><td data-label="{{t.name}}"><a href="/console/visits/{{id}}" class="visit-link">{{name}}</a></td>
        <td data-label="{{t.service}}">{{service}}</td><td data-label="{{t.outcome}}">{{outcome}}{{#reason}} — {{reason}}{{/reason}}</td>
        <td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{t.team}}">{{team}}</td><td data-label="{{t.volunteer}}">{{volunteer}}</td>{{#sample}}<td data-label="{{t.phone}}" class="phone">{{phone}}</td>{{/sample}}<td data-label="{{t.review_card}}">{{review}}</td></tr>{{/rows}}
        </tbody></table>{{/has_rows}}{{#queue}}</form>{{/queue}}
        <p>{{#first_page}}<a href="{{first_page}}">{{t.first_page}}</a> · {{/first_page}}{{#next_page}}<a href="{{next_page}}" id="next-page">{{t.next_page}}</a>{{/next_page}}</p>{{/body}}{{/layout}}
        """

    static let conflictTable = """
        {{#conflicts}}<section class="conflict" id="conflict-{{id}}"><h2><a href="/console/visits/{{record}}">{{citizen}}</a> · {{kind}}</h2>
        <p class="muted">{{t.found_at}} {{found_at}}{{#resolution}} · {{t.resolved_by}}: <span class="resolution">{{resolution}}</span>{{/resolution}}</p>
        <table class="stack conflicts"><thead><tr><th>{{t.field}}</th><th>{{t.stored}}</th><th>{{t.incoming}}</th><th>{{t.kept}}</th></tr></thead><tbody>
        {{#fields}}<tr><td data-label="{{t.field}}">{{label}}</td><td data-label="{{t.stored}}">{{stored}} <span class="muted">({{stored_by}}, {{stored_at}})</span></td>
        <td data-label="{{t.incoming}}">{{incoming}} <span class="muted">({{incoming_by}}, {{incoming_at}})</span></td><td data-label="{{t.kept}}" class="kept">{{kept}}</td></tr>{{/fields}}
        </tbody></table>
        {{#open}}<form method="post" action="/console/conflicts/{{id}}/resolve" class="resolve"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#editable}}<p class="muted">{{t.resolve_hint}}</p>{{#fields}}<fieldset><legend>{{label}}</legend>
        <label class="choice"><input type="radio" name="f.{{name}}" value="stored" class="pick-stored" {{#stored_kept}}checked{{/stored_kept}}> {{stored_choice}}: {{stored}}</label>
        <label class="choice"><input type="radio" name="f.{{name}}" value="incoming" class="pick-incoming" {{^stored_kept}}checked{{/stored_kept}}> {{incoming_choice}}: {{incoming}}</label>
        {{#typable}}<label class="choice"><input type="radio" name="f.{{name}}" value="typed" class="pick-typed"> {{t.type_value}} <input name="v.{{name}}" maxlength="500" class="typed"></label>{{/typable}}
        </fieldset>{{/fields}}<button name="choice" value="fields" class="resolve-fields">{{t.resolve_fields}}</button>{{/editable}}
        {{^editable}}<button name="choice" value="keep" class="plain resolve-keep">{{keep_label}}</button> <button name="choice" value="take" class="resolve-take">{{take_label}}</button>{{/editable}}
        </form>{{/open}}</section>{{/conflicts}}
        """

    static let visit = """
        {{<layout}}{{$body}}<h1 id="visit-name">{{name}}</h1><p class="muted">{{t.times_in}} · {{id}}</p>
        <div class="cards">{{#summary}}<div class="card"><span>{{label}}</span><b>{{value}}</b></div>{{/summary}}</div>
        <h2>{{t.history}}</h2><table class="stack" id="fields"><thead><tr><th>{{t.field}}</th><th>{{t.value}}</th><th>{{t.written_by}}</th><th>{{t.written_at}}</th></tr></thead><tbody>
        {{#fields}}<tr><td data-label="{{t.field}}">{{label}}</td><td data-label="{{t.value}}">{{value}}</td><td data-label="{{t.written_by}}">{{by}}</td><td data-label="{{t.written_at}}">{{at}}</td></tr>{{/fields}}
        </tbody></table>
        <h2>{{t.review_heading}}</h2><form method="post" action="/console/visits/{{id}}/review" class="filters" id="review-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.review_state}}<select name="state" id="review-state">{{#review_states}}<option value="{{code}}">{{label}}</option>{{/review_states}}</select></label>
        <label>{{t.review_comment}}<input name="comment" id="review-comment" maxlength="500" size="40"></label><button id="review-submit">{{t.review_submit}}</button></form>
        <p class="muted">{{t.review_comment_hint}}</p>
        <h2>{{t.conflicts}}</h2>{{^conflicts}}<p>{{t.no_conflicts}}</p>{{/conflicts}}{{#has_conflicts}}\(conflictTable){{/has_conflicts}}{{/body}}{{/layout}}
        """

    static let conflicts = """
        {{<layout}}{{$body}}<h1>{{t.nav_conflicts}} — {{area}}</h1><p class="muted">{{t.times_in}}</p>
        <p><a href="/console/conflicts?status=open" id="open-conflicts">{{t.open}}</a> · <a href="/console/conflicts?status=resolved" id="resolved-conflicts">{{t.resolved}}</a> · <a href="/console/conflicts?status=all">{{t.all}}</a></p>
        {{^conflicts}}<p id="no-conflicts">{{t.no_conflicts}}</p>{{/conflicts}}{{#has_conflicts}}\(conflictTable){{/has_conflicts}}{{/body}}{{/layout}}
        """

    static let duplicates = """
        {{<layout}}{{$body}}<h1>{{t.nav_duplicates}} — {{area}}: {{total}}</h1><p class="muted">{{t.duplicates_hint}} · {{t.times_in}}</p>
        {{^groups}}<p id="no-duplicates">{{t.no_duplicates}}</p>{{/groups}}
        {{#groups}}<h2>{{name}} · {{citizen}} · {{service}}</h2><table class="stack duplicates"><thead><tr><th>{{t.visited_at}}</th><th>{{t.name}}</th><th>{{t.cccd}}</th><th>{{t.outcome}}</th>
        <th>{{t.commune}}</th><th>{{t.volunteer}}</th><th></th></tr></thead><tbody>
        {{#visits}}<tr><td data-label="{{t.visited_at}}"><a href="/console/visits/{{id}}">{{time}}</a></td><td data-label="{{t.name}}">{{name}}</td>
        <td data-label="{{t.cccd}}">{{citizen}}</td><td data-label="{{t.outcome}}">{{outcome}}</td>
        <td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{t.volunteer}}">{{volunteer}}</td><td>{{^kept}}
        <form method="post" action="/console/duplicates/resolve" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="duplicate" value="{{id}}"><input type="hidden" name="keep" value="{{keep}}">
        <button class="plain resolve-duplicate">{{t.delete_duplicate}}</button></form>{{/kept}}{{#kept}}{{t.kept_visit}}{{/kept}}</td></tr>{{/visits}}
        </tbody></table>{{/groups}}{{/body}}{{/layout}}
        """

    static let quality = """
        {{<layout}}{{$body}}<h1>{{t.nav_quality}} — {{area}}</h1><p class="muted">{{period}} · {{t.quality_hint}}</p>
        \(periodForm)
        {{^has_flags}}<p id="no-flags">{{t.quality_none}}</p>{{/has_flags}}
        {{#has_flags}}<table class="stack" id="quality"><thead><tr><th>{{t.quality_rule}}</th><th>{{t.quality_subject}}</th><th>{{t.quality_why}}</th><th>{{t.nav_visits}}</th></tr></thead><tbody>
        {{#flags}}<tr><td data-label="{{t.quality_rule}}">{{rule}}</td><td data-label="{{t.quality_subject}}">{{subject}}</td><td data-label="{{t.quality_why}}">{{text}}</td>
        <td data-label="{{t.nav_visits}}">{{#visits}}<a href="/console/visits/{{id}}" class="flag-visit">#{{n}}</a> {{/visits}}{{more}}</td></tr>{{/flags}}
        </tbody></table>{{/has_flags}}<p class="muted" id="thresholds">{{thresholds}}</p>{{/body}}{{/layout}}
        """

    static let quarantine = """
        {{<layout}}{{$body}}<h1>{{t.nav_quarantine}} — {{area}}: {{total}}</h1><p class="muted">{{t.quarantine_hint}} · {{t.times_in}}</p>
        {{^rows}}<p id="no-quarantine">{{t.no_quarantine}}</p>{{/rows}}{{#has_rows}}<table class="stack" id="quarantine"><thead><tr>
        <th>{{t.received}}</th><th>{{t.volunteer}}</th><th>{{t.visit}}</th><th>{{t.reason}}</th><th class="n">{{t.attempts}}</th></tr></thead><tbody>
        {{#rows}}<tr><td data-label="{{t.received}}">{{received}}</td><td data-label="{{t.volunteer}}">{{volunteer}}</td>
        <td data-label="{{t.visit}}"><code>{{record}}</code></td><td data-label="{{t.reason}}">{{reason}}</td><td class="n" data-label="{{t.attempts}}">{{attempts}}</td></tr>{{/rows}}
        </tbody></table>{{/has_rows}}{{/body}}{{/layout}}
        """

    static let devices = """
        {{<layout}}{{$body}}<h1>{{t.nav_devices}} — {{area}}</h1><p class="muted">{{t.times_in}}</p>
        {{#new_code}}<div class="box" id="new-code-box"><h2>{{t.new_code}}</h2><p class="code" id="new-code">{{new_code}}</p><div id="new-code-qr">{{{new_code_qr}}}</div><p class="muted">{{t.new_code_hint}}</p></div>{{/new_code}}
        <h2>{{t.issue_code}}</h2><form class="filters" method="post" action="/console/codes" id="issue-code"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.role}}<select name="role" id="role">{{#roles}}<option value="{{code}}">{{label}}</option>{{/roles}}</select></label>
        <label>{{t.commune}}<input name="commune" id="code-commune" value="{{own_commune}}" maxlength="5" size="6" inputmode="numeric" required></label>
        <label>{{t.team}}<input name="team" id="code-team" maxlength="40" size="8"></label>
        <label>{{t.valid_days}}<input name="days" type="number" min="1" max="30" value="7" size="3"></label><button id="issue">{{t.issue}}</button></form>
        <h2>{{t.devices}}: {{total}}</h2>{{#behind}}<p class="error" id="behind">{{behind}}</p>{{/behind}}<table class="stack" id="devices"><thead><tr><th>{{t.volunteer}}</th><th>{{t.role}}</th><th>{{t.area}}</th><th>{{t.last_sync}}</th>
        <th class="n">{{t.visits}}</th><th class="n">{{t.backlog}}</th><th>{{t.version}}</th><th>{{t.status}}</th></tr></thead><tbody>
        {{#devices}}<tr {{#flag}}class="flag"{{/flag}} id="device-{{id}}"><td data-label="{{t.volunteer}}">{{name}}</td><td data-label="{{t.role}}">{{role}}</td><td data-label="{{t.area}}">{{scope}}</td>
        <td data-label="{{t.last_sync}}">{{last_sync}}</td><td class="n" data-label="{{t.visits}}">{{visits}}</td><td class="n" data-label="{{t.backlog}}">{{backlog}}</td>
        <td data-label="{{t.version}}">{{version}}{{#needs_update}} <span class="flag needs-update">{{t.needs_update}}</span>{{/needs_update}}</td><td data-label="{{t.status}}">{{#revoked}}{{t.revoked}}{{/revoked}}{{^revoked}}{{#stale}}{{t.stale}} {{/stale}}
        <form method="post" action="/console/devices/{{id}}/revoke" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain revoke">{{t.revoke}}</button></form>{{/revoked}}</td></tr>{{/devices}}
        </tbody></table>{{/body}}{{/layout}}
        """

    static let exports = """
        {{<layout}}{{$body}}<h1>{{t.exports}} — {{area}}</h1><p class="muted">{{t.exports_hint}}</p>\(periodForm)
        <ul id="export-links">{{#files}}<li><a href="{{href}}" download="{{file}}">{{label}}</a></li>{{/files}}</ul>
        <h2>{{t.targets}}</h2><p class="muted">{{t.targets_hint}}</p>
        {{#targets_saved}}<p class="card" id="targets-saved">{{t.targets_saved}}: {{targets_saved}}</p>{{/targets_saved}}
        {{#targets_error}}<pre class="error" id="targets-error">{{targets_error}}</pre>{{/targets_error}}
        <form method="post" action="/console/targets" id="targets-form" class="box"><input type="hidden" name="csrf" value="{{csrf}}">
        <textarea name="targets" id="targets" rows="8" maxlength="200000" placeholder="{{{t.targets_placeholder}}}">{{targets_text}}</textarea>
        <button id="save-targets">{{t.save_targets}}</button></form>
        <form method="post" action="/console/targets" id="share-form" class="filters"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.targets_share}}<input name="share" id="share" value="80" size="5" maxlength="6" inputmode="decimal"></label>
        <button id="save-share">{{t.save_targets}}</button></form><p class="muted">{{t.targets_share_hint}}</p>{{/body}}{{/layout}}
        """

    static let kinds = """
        {{<layout}}{{$body}}<h1>{{t.nav_kinds}}</h1><p class="muted">{{t.kinds_hint}}</p>
        {{#kinds}}<section class="kind" id="kind-{{id}}"><h2>{{label}} <small class="muted">· {{t.kind_version}} {{version}}</small></h2>
        <p class="muted">{{origin}}</p><table class="stack"><thead><tr><th>{{t.field}}</th><th>{{t.kind_field_type}}</th><th>{{t.kind_flags}}</th>
        <th>{{t.kind_options}}</th></tr></thead><tbody>
        {{#fields}}<tr {{#retired}}class="flag"{{/retired}}><td data-label="{{t.field}}">{{label}}</td><td data-label="{{t.kind_field_type}}">{{type}}</td>
        <td data-label="{{t.kind_flags}}">{{flags}}</td><td data-label="{{t.kind_options}}">{{options}}</td></tr>{{/fields}}
        </tbody></table></section>{{/kinds}}{{/body}}{{/layout}}
        """

    static let sessions = """
        {{<layout}}{{$body}}<h1>{{t.nav_sessions}} — {{area}}</h1><p class="muted">{{period}} · {{t.times_in}}</p>
        <p class="muted">{{t.sessions_hint}}</p>
        \(periodForm)
        <div class="cards" id="session-totals"><div class="card"><span>{{t.sessions_count}}</span><b>{{count}}</b></div>
        <div class="card"><span>{{t.people_trained}}</span><b>{{people}}</b></div></div>
        <h2>{{t.by_topic}}</h2><table class="stack" id="topics"><thead><tr><th>{{t.commune}}</th><th>{{topic_label}}</th>
        <th class="n">{{t.sessions_count}}</th><th class="n">{{t.people_trained}}</th></tr></thead><tbody>
        {{#totals}}<tr><td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{topic_label}}">{{topic}}</td>
        <td class="n" data-label="{{t.sessions_count}}">{{count}}</td><td class="n" data-label="{{t.people_trained}}">{{people}}</td></tr>{{/totals}}
        </tbody></table>
        <h2>{{t.sessions_latest}}</h2><form method="post" action="/console/review" id="review-sessions"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="{{back}}">
        <table class="stack" id="sessions"><thead><tr><th></th>{{#columns}}<th>{{.}}</th>{{/columns}}<th>{{t.review_card}}</th></tr></thead><tbody>
        {{#rows}}<tr><td><input type="checkbox" name="v.{{id}}" value="1" class="pick" aria-label="{{id}}"></td>{{#cells}}<td data-label="{{label}}">{{value}}</td>{{/cells}}
        <td data-label="{{t.review_card}}" class="review">{{review}}</td></tr>{{/rows}}
        </tbody></table>{{^rows}}<p class="muted">{{t.sessions_none}}</p>{{/rows}}
        {{#has_rows}}<p class="filters"><label>{{t.review_state}}<select name="state">{{#review_states}}<option value="{{code}}">{{label}}</option>{{/review_states}}</select></label>
        <label>{{t.review_comment}}<input name="comment" maxlength="500" size="40"></label><button id="sessions-submit">{{t.review_apply}}</button></p>{{/has_rows}}</form>{{/body}}{{/layout}}
        """

    static let households = """
        {{<layout}}{{$body}}<h1>{{t.nav_households}} — {{area}}</h1><p class="muted">{{t.households_hint}}</p>
        {{#error}}<p class="error" id="households-error">{{error}}</p>{{/error}}
        {{#result}}<p class="card" id="households-result">{{result}}</p>{{/result}}
        {{#has_problems}}<ul class="error" id="households-problems">{{#problems}}<li>{{t.households_line}} {{line}}: {{message}}</li>{{/problems}}</ul>{{/has_problems}}
        <form method="post" action="/console/households" class="box" id="households-form"><input type="hidden" name="csrf" value="{{csrf}}">
        {{^one_commune}}<label>{{t.commune}}<input name="commune" value="{{commune}}" size="8" maxlength="60" required></label>{{/one_commune}}
        <label>{{t.households_list}}<textarea name="list" id="list" rows="10" maxlength="1000000" placeholder="{{t.households_placeholder}}">{{list}}</textarea></label>
        <button name="preview" value="1" id="preview">{{t.households_preview}}</button> <button name="apply" value="1" id="apply">{{t.households_apply}}</button></form>
        <h2>{{t.households_by_village}}</h2>
        {{#has_villages}}<table class="stack" id="household-villages"><thead><tr><th>{{t.commune}}</th><th>{{t.village}}</th>
        <th class="n">{{t.coverage_households}}</th><th class="n">{{t.coverage_adults}}</th></tr></thead><tbody>
        {{#villages}}<tr><td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{t.village}}">{{village}}</td>
        <td class="n" data-label="{{t.coverage_households}}">{{households}}</td><td class="n" data-label="{{t.coverage_adults}}">{{adults}}</td></tr>{{/villages}}
        </tbody></table>{{/has_villages}}{{^has_villages}}<p class="muted">{{t.households_none}}</p>{{/has_villages}}{{/body}}{{/layout}}
        """

    static let coverage = """
        {{<layout}}{{$body}}<h1>{{t.nav_coverage}} — {{area}}</h1><p class="muted">{{t.coverage_hint}}</p>
        <div class="cards" id="coverage-totals">{{#totals}}<div class="card"><span>{{label}}</span><b>{{value}}</b></div>{{/totals}}</div>
        {{{villages_svg}}}
        <table class="stack" id="coverage"><thead><tr><th>{{t.commune}}</th><th>{{t.village}}</th><th class="n">{{t.coverage_households}}</th>
        <th class="n">{{t.coverage_visited}}</th><th class="n">{{t.coverage_share}}</th><th class="n">{{t.coverage_adults}}</th>
        <th class="n">{{t.coverage_pending}}</th><th class="n">{{t.coverage_done}}</th><th class="n">{{t.coverage_due}}</th>
        <th class="n">{{t.coverage_overdue}}</th></tr></thead><tbody>
        {{#lines}}<tr{{#late}} class="flag"{{/late}}><td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{t.village}}">{{village}}</td>
        <td class="n" data-label="{{t.coverage_households}}">{{households}}</td><td class="n" data-label="{{t.coverage_visited}}">{{visited}}</td>
        <td class="n" data-label="{{t.coverage_share}}">{{share}}</td><td class="n" data-label="{{t.coverage_adults}}">{{adults}}</td>
        <td class="n" data-label="{{t.coverage_pending}}">{{pending}}</td><td class="n" data-label="{{t.coverage_done}}">{{done}}</td>
        <td class="n" data-label="{{t.coverage_due}}">{{due}}</td><td class="n" data-label="{{t.coverage_overdue}}">{{overdue}}</td></tr>{{/lines}}
        </tbody></table>{{^lines}}<p class="muted">{{t.coverage_none}}</p>{{/lines}}
        <h2>{{t.coverage_overdue_by_team}}</h2>
        {{#has_overdue}}<div class="cards" id="overdue-teams">{{#teams}}<div class="card"><span>{{t.team}} {{team}}</span><b>{{count}}</b></div>{{/teams}}</div>
        <table class="stack" id="overdue"><thead><tr><th>{{t.team}}</th><th>{{t.volunteer}}</th><th>{{t.village}}</th><th>{{t.service}}</th>
        <th>{{t.coverage_come_back}}</th><th></th></tr></thead><tbody>
        {{#overdue}}<tr><td data-label="{{t.team}}">{{team}}</td><td data-label="{{t.volunteer}}">{{volunteer}}</td><td data-label="{{t.village}}">{{village}}</td>
        <td data-label="{{t.service}}">{{service}}</td><td data-label="{{t.coverage_come_back}}">{{on}}</td>
        <td><a href="/console/visits/{{id}}">{{short}}</a></td></tr>{{/overdue}}</tbody></table>{{/has_overdue}}
        {{^has_overdue}}<p class="muted" id="no-overdue">{{t.coverage_no_overdue}}</p>{{/has_overdue}}{{/body}}{{/layout}}
        """

    static let villages = """
        {{<layout}}{{$body}}<h1>{{t.nav_villages}} — {{area}}</h1><p class="muted">{{t.villages_hint}}</p>
        <table class="stack" id="villages"><thead><tr><th>{{t.commune}}</th><th>{{t.village}}</th><th>{{t.village_code}}</th><th>{{t.team}}</th>
        <th></th></tr></thead><tbody>
        {{#rows}}<tr><td data-label="{{t.commune}}">{{commune}}</td><td data-label="{{t.village}}">{{name}}</td>
        <td data-label="{{t.village_code}}">{{code}}</td>
        <td data-label="{{t.team}}"><form method="post" action="/console/villages" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="commune" value="{{commune_code}}"><input type="hidden" name="name" value="{{name}}">
        <input type="hidden" name="code" value="{{code}}"><input name="team" value="{{team}}" size="10" maxlength="32" placeholder="{{t.village_no_team}}">
        <button>{{t.village_assign}}</button></form></td>
        <td><form method="post" action="/console/villages" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="action" value="remove"><input type="hidden" name="commune" value="{{commune_code}}">
        <input type="hidden" name="village" value="{{key}}"><button class="plain">{{t.village_remove}}</button></form></td></tr>{{/rows}}
        </tbody></table>{{^has_rows}}<p class="muted">{{t.villages_none}}</p>{{/has_rows}}
        <h2>{{t.village_add}}</h2><form method="post" action="/console/villages" class="filters" id="add-village">
        <input type="hidden" name="csrf" value="{{csrf}}">{{#ask_commune}}<label>{{t.commune}}<input name="commune" size="6" maxlength="5" required></label>{{/ask_commune}}
        <label>{{t.village}}<input name="name" maxlength="120" required></label><label>{{t.village_code}}<input name="code" size="8" maxlength="20"></label>
        <label>{{t.team}}<input name="team" size="10" maxlength="32"></label><button id="save-village">{{t.village_save}}</button></form>{{/body}}{{/layout}}
        """

    /// A page that asks before an action that cannot be undone in one click (no script: the console's CSP runs none).
    static let confirm = """
        {{<layout}}{{$body}}<div class="box" id="confirm-box"><h1>{{heading}}</h1><p id="confirm-text">{{text}}</p>
        <form method="post" action="{{action}}" id="confirm-form"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/fields}}<input type="hidden" name="confirm" value="yes">
        <button id="confirm">{{button}}</button> <a href="{{back}}" id="cancel">{{t.cancel}}</a></form></div>{{/body}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$body}}<div class="box"><h1>{{heading}}</h1><p class="error" id="error">{{text}}</p><p><a href="{{back}}">{{t.back}}</a></p></div>{{/body}}{{/layout}}
        """
}
