import Mustache

/// The app's pages as mustache templates compiled into the binary: nothing is loaded from anywhere else.
/// Values are HTML-escaped by mustache; forms post to the app itself with the session's form token.
enum AppTemplates {
    /// The library of every page, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            // The templates are constants of this file, parsed by a test: a failure here is a programming error.
            do { try library.register(text, named: name) } catch { preconditionFailure("app template \(name): \(error)") }
        }
        return library
    }()

    static let templates: [String: String] = [
        "layout": layout, "today": today, "form": form, "visit": visit, "search": search, "due": due, "flagged": flagged,
        "sync": sync, "unlock": unlock, "message": message, "sessions": sessions, "closed": closed, "confirm": confirm,
    ]

    static let layout = """
        <!doctype html>
        <html lang="{{t.lang}}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · FieldSync</title>
        <link rel="stylesheet" href="/style.css?v={{style_version}}">{{#script}}
        <script src="/app.js?v={{script_version}}" defer></script>{{/script}}
        </head><body>
        <header><strong>FieldSync</strong>
        {{#open}}<nav>
        <a href="/" {{#nav_today}}class="on"{{/nav_today}} accesskey="h">{{t.app_nav_today}}</a>
        <a href="/visits/new" {{#nav_form}}class="on"{{/nav_form}} accesskey="n" id="nav-log">{{t.app_nav_log}}</a>
        <a href="/sessions" {{#nav_sessions}}class="on"{{/nav_sessions}}>{{t.app_nav_sessions}}</a>
        <a href="/search" {{#nav_search}}class="on"{{/nav_search}} accesskey="f" id="nav-search">{{t.app_nav_search}}</a>
        <a href="/due" {{#nav_due}}class="on"{{/nav_due}} id="nav-due">{{t.app_nav_due}}</a>
        <a href="/flagged" {{#nav_flagged}}class="on"{{/nav_flagged}} id="nav-flagged">{{t.app_nav_flagged}}{{#flag_count}} ({{flag_count}}){{/flag_count}}</a>
        <a href="/sync" {{#nav_sync}}class="on"{{/nav_sync}} id="nav-sync">{{t.app_nav_sync}}</a></nav>{{/open}}
        <span class="who">{{#volunteer}}{{volunteer}} · {{team}}{{/volunteer}}
        {{#lockable}}<form method="post" action="/lock" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="lock">{{t.app_lock}}</button></form>{{/lockable}}
        {{#csrf}}<form method="post" action="/quit" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="quit">{{t.app_quit}}</button></form>{{/csrf}}</span>
        <a href="?lang={{t.other_lang}}" class="lang" id="lang">{{t.other_lang_name}}</a>
        </header>
        <main>{{#notice}}<p class="ok" id="notice" role="status">{{notice}}</p>{{/notice}}{{#warning}}<p class="warn" id="warning" role="alert">{{warning}}</p>{{/warning}}{{$body}}{{/body}}</main></body></html>
        """

    static let today = """
        {{<layout}}{{$body}}<h1>{{heading}}</h1><p class="muted">{{area}} · {{t.times_in}}</p>
        <div class="cards" id="today-cards">{{#cards}}<div class="card"><span>{{label}}</span><b>{{value}}</b></div>{{/cards}}</div>
        <p class="toolbar"><a class="button" href="/visits/new" id="log-visit">{{t.app_nav_log}}</a> <a class="button" href="/sessions" id="log-session">{{t.app_session_new}}</a>
        <a class="button" href="/sync" id="go-sync">{{t.app_nav_sync}}</a></p>
        {{#flag_count}}<p class="warn" id="flag-warning"><a href="/flagged">{{flag_line}}</a></p>{{/flag_count}}
        {{#returned_any}}<h2>{{t.app_review_heading}}</h2><ul id="returned">{{#returned}}<li><a href="/visits/{{id}}/edit">{{text}}</a></li>{{/returned}}</ul>{{/returned_any}}
        {{#conflicts_any}}<h2>{{t.app_conflicts}}</h2><ul id="conflicts">{{#conflicts}}<li><a href="/visits/{{id}}">{{text}}</a></li>{{/conflicts}}</ul>{{/conflicts_any}}
        <h2>{{t.app_today_visits}}</h2>{{^visits}}<p id="no-visits-today">{{t.app_none_today}}</p>{{/visits}}
        {{#visits_any}}\(visitTable){{/visits_any}}
        <h2>{{t.app_due_soon}}</h2>{{^due}}<p>{{t.app_no_due}}</p>{{/due}}{{#due_any}}\(dueTable){{/due_any}}{{/body}}{{/layout}}
        """

    static let visitTable = """
        <table class="stack" id="visits"><thead><tr><th>{{t.app_when}}</th><th>{{t.app_name}}</th><th>{{t.app_service}}</th><th>{{t.app_outcome}}</th><th>{{t.app_household}}</th></tr></thead><tbody>
        {{#visits}}<tr><td data-label="{{t.app_when}}">{{when}}</td><td data-label="{{t.app_name}}"><a href="/visits/{{id}}" class="visit-link">{{name}}</a>{{#unsent}} <span class="muted">{{t.app_unsent}}</span>{{/unsent}}</td>
        <td data-label="{{t.app_service}}">{{service}}</td><td data-label="{{t.app_outcome}}">{{outcome}}</td><td data-label="{{t.app_household}}">{{household}}</td></tr>{{/visits}}
        </tbody></table>
        """

    static let dueTable = """
        <table class="stack" id="due"><thead><tr><th>{{t.app_due_on}}</th><th>{{t.app_name}}</th><th>{{t.app_service}}</th><th>{{t.app_household}}</th><th></th></tr></thead><tbody>
        {{#due}}<tr{{#overdue}} class="flag"{{/overdue}}><td data-label="{{t.app_due_on}}">{{on}} · {{state}}</td><td data-label="{{t.app_name}}"><a href="/visits/{{id}}">{{name}}</a></td>
        <td data-label="{{t.app_service}}">{{service}}{{#reason}} — {{reason}}{{/reason}}</td><td data-label="{{t.app_household}}">{{household}}</td>
        <td><form method="post" action="/visits/{{id}}/close-follow-up" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain close-follow-up">{{t.app_close_follow_up}}</button></form></td></tr>{{/due}}
        </tbody></table>
        """

    /// A record form generated from its kind's fields: labels, option lists, hints and each field's own error.
    static let form = """
        {{<layout}}{{$body}}<h1>{{heading}}</h1>
        {{#error}}<p class="error" id="error" role="alert">{{error}}</p>{{/error}}
        {{#similar_any}}<div class="warn" id="similar"><p>{{t.app_similar}}</p><ul>{{#similar}}<li><a href="/visits/{{id}}">{{text}}</a></li>{{/similar}}</ul></div>{{/similar_any}}
        <form method="post" action="{{action}}" class="form" id="record-form" novalidate><input type="hidden" name="csrf" value="{{csrf}}">
        {{#fields}}<label class="{{#wide}}wide {{/wide}}{{#problem}}invalid{{/problem}}" for="f-{{name}}">{{label}}{{#required}} *{{/required}}
        {{#options}}<select name="{{name}}" id="f-{{name}}"{{#autofocus}} autofocus{{/autofocus}}{{#problem}} aria-invalid="true" aria-describedby="e-{{name}}"{{/problem}}>{{#blank}}<option value="">—</option>{{/blank}}{{#choices}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choices}}</select>{{/options}}
        {{#text}}<input name="{{name}}" id="f-{{name}}" value="{{value}}"{{#list_any}} list="l-{{name}}"{{/list_any}}{{#numeric}} inputmode="numeric"{{/numeric}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}{{#maxlength}} maxlength="{{maxlength}}"{{/maxlength}} autocomplete="off"{{#autofocus}} autofocus{{/autofocus}}{{#problem}} aria-invalid="true" aria-describedby="e-{{name}}"{{/problem}}>{{/text}}
        {{#area}}<textarea name="{{name}}" id="f-{{name}}" maxlength="{{maxlength}}"{{#autofocus}} autofocus{{/autofocus}}{{#problem}} aria-invalid="true" aria-describedby="e-{{name}}"{{/problem}}>{{value}}</textarea>{{/area}}
        {{#check}}<span class="choice"><input type="checkbox" name="{{name}}" id="f-{{name}}" value="1"{{#checked}} checked{{/checked}}{{#autofocus}} autofocus{{/autofocus}}> {{hint}}</span>{{/check}}
        {{#hint_below}}<span class="hint">{{hint_below}}</span>{{/hint_below}}
        {{#problem}}<span class="field-error" id="e-{{name}}">{{problem}}</span>{{/problem}}</label>
        {{#list_any}}<datalist id="l-{{name}}">{{#list}}<option value="{{value}}">{{label}}</option>{{/list}}</datalist>{{/list_any}}{{/fields}}
        <div class="actions"><button id="save">{{submit}}</button>{{#cancel}}<a href="{{cancel}}">{{t.app_cancel}}</a>{{/cancel}}</div></form>{{/body}}{{/layout}}
        """

    static let visit = """
        {{<layout}}{{$body}}<h1 id="visit-name">{{name}}</h1><p class="muted">{{t.times_in}} · <code>{{short_id}}</code>{{#unsent}} · {{t.app_unsent}}{{/unsent}}</p>
        {{#flag}}<p class="warn" id="visit-flag">{{flag}}</p>{{/flag}}
        <table id="fields"><tbody>{{#lines}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/lines}}</tbody></table>
        {{#conflicts_any}}<h2>{{t.app_conflicts}}</h2><ul id="visit-conflicts">{{#conflicts}}<li>{{.}}</li>{{/conflicts}}</ul>{{/conflicts_any}}
        {{^deleted}}<div class="toolbar"><a class="button" href="/visits/{{id}}/edit" id="edit">{{t.app_edit}}</a>
        {{#follow_up_open}}<form method="post" action="/visits/{{id}}/close-follow-up"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="close-follow-up">{{t.app_close_follow_up}}</button></form>{{/follow_up_open}}
        {{#own}}{{#consent}}<form method="post" action="/visits/{{id}}/withdraw-consent"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="withdraw">{{t.app_withdraw}}</button></form>{{/consent}}{{/own}}
        <form method="post" action="/visits/{{id}}/delete"><input type="hidden" name="csrf" value="{{csrf}}"><button class="danger" id="delete">{{t.app_delete}}</button></form></div>{{/deleted}}{{/body}}{{/layout}}
        """

    static let search = """
        {{<layout}}{{$body}}<h1>{{t.app_nav_search}}</h1>
        <form class="filters" method="get" action="/search" id="search-form"><label for="q">{{t.app_search_words}}<input name="q" id="q" value="{{q}}" maxlength="80" autofocus autocomplete="off"></label>
        <label for="day">{{t.app_search_day}}<input name="day" id="day" value="{{day}}" placeholder="dd/mm/yyyy" inputmode="numeric" size="10" maxlength="10"></label>
        <button id="find">{{t.app_find}}</button></form><p class="muted">{{t.app_search_hint}}</p>
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        {{#searched}}<p id="found">{{found}}</p>{{/searched}}
        {{#visits_any}}\(visitTable){{/visits_any}}{{/body}}{{/layout}}
        """

    static let due = """
        {{<layout}}{{$body}}<h1>{{t.app_nav_due}}</h1>
        <h2>{{t.app_due_heading}}</h2>{{^due}}<p id="no-due">{{t.app_no_due}}</p>{{/due}}{{#due_line}}<p class="muted">{{due_line}}</p>{{/due_line}}{{#due_any}}\(dueTable){{/due_any}}
        <h2>{{t.app_worklist}}</h2><form class="filters" method="get" action="/due"><label for="village">{{t.app_village}}<input name="village" id="village" value="{{village}}" maxlength="80"></label>
        <label class="choice"><input type="checkbox" name="unvisited" value="1"{{#unvisited}} checked{{/unvisited}}> {{t.app_unvisited_only}}</label><button>{{t.app_find}}</button></form>
        <p class="muted">{{households_line}}{{#households_cut}} · {{households_cut}}{{/households_cut}}</p>
        {{^households}}<p>{{t.app_no_households}}</p>{{/households}}{{#households_any}}<table class="stack" id="households"><thead><tr><th>{{t.app_village}}</th><th>{{t.app_household}}</th><th class="n">{{t.app_adults}}</th><th class="n">{{t.app_visits}}</th><th></th></tr></thead><tbody>
        {{#households}}<tr><td data-label="{{t.app_village}}">{{village}}</td><td data-label="{{t.app_household}}">{{line}}</td><td class="n" data-label="{{t.app_adults}}">{{adults}}</td><td class="n" data-label="{{t.app_visits}}">{{visits}}</td>
        <td><a href="/visits/new?household={{key}}" class="log-here">{{t.app_log_here}}</a></td></tr>{{/households}}</tbody></table>{{/households_any}}{{/body}}{{/layout}}
        """

    static let flagged = """
        {{<layout}}{{$body}}<h1>{{t.app_nav_flagged}}</h1><p class="muted">{{t.app_flagged_hint}}</p>
        {{^flags}}<p id="no-flags">{{t.app_no_flags}}</p>{{/flags}}
        {{#flags}}<section class="box flag-item" id="flag-{{short_id}}"><h2><a href="/visits/{{id}}">{{who}}</a></h2><p>{{text}}</p><div class="toolbar">
        {{#scope}}<form method="post" action="/visits/{{id}}/move-home"><input type="hidden" name="csrf" value="{{csrf}}"><button class="fix-scope">{{scope}}</button></form>{{/scope}}
        {{#fix_field}}<a class="button fix-edit" href="/visits/{{id}}/edit?focus={{fix_field}}">{{t.app_fix}}</a>{{/fix_field}}
        {{#present}}<form method="post" action="/visits/{{id}}/delete"><input type="hidden" name="csrf" value="{{csrf}}"><button class="danger">{{t.app_delete}}</button></form>{{/present}}</div></section>{{/flags}}{{/body}}{{/layout}}
        """

    static let sync = """
        {{<layout}}{{$body}}<h1>{{t.app_nav_sync}}</h1><p class="muted">{{server_line}} · {{last_line}} · {{unsynced_line}}</p>
        {{#error}}<p class="error" id="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/sync" id="sync-form"><input type="hidden" name="csrf" value="{{csrf}}"><button id="sync-now"{{#running}} disabled{{/running}}>{{t.app_sync_now}}</button></form>
        <div id="sync-state" data-state="{{state}}" data-poll="/sync/progress">
        {{#running}}<p><progress id="sync-progress"{{#fraction}} value="{{fraction}}" max="1"{{/fraction}}></progress></p><p id="sync-line" role="status">{{line}}</p>
        <noscript><p><a href="/sync">{{t.app_sync_refresh}}</a></p></noscript>{{/running}}
        {{#summary}}<div class="ok" id="sync-summary" role="status"><p>{{summary}}</p>{{#details_any}}<ul>{{#details}}<li>{{.}}</li>{{/details}}</ul>{{/details_any}}</div>{{/summary}}
        {{#failure}}<p class="error" id="sync-failure" role="alert">{{failure}}</p>{{/failure}}</div>
        <h2>{{t.app_offline}}</h2><p class="muted">{{t.app_bundle_hint}}</p>
        <form method="post" action="/bundle" class="toolbar"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="bundle-export">{{t.app_bundle_export}}</button></form>
        <form method="post" action="/bundle/import" enctype="application/x-www-form-urlencoded" class="filters"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="answer">{{t.app_bundle_answer}}<input name="path" id="answer" maxlength="500" placeholder="/media/usb/….answer.fsb"></label><button class="plain" id="bundle-import">{{t.app_bundle_import}}</button></form>
        <h2>{{t.app_lan}}</h2><p class="muted">{{t.app_lan_hint}}</p>
        <form method="post" action="/peer" class="filters"><input type="hidden" name="csrf" value="{{csrf}}"><label for="peer">{{t.app_lan_address}}<input name="address" id="peer" maxlength="80" placeholder="192.168.1.20:7700"></label>
        <button class="plain" id="peer-sync">{{t.app_lan_sync}}</button></form>
        <h2>{{t.app_update}}</h2><p class="muted" id="update-line">{{update_line}}</p>
        <form method="post" action="/update" class="toolbar"><input type="hidden" name="csrf" value="{{csrf}}"><button class="plain" id="update"{{#update_running}} disabled{{/update_running}}>{{t.app_update_check}}</button></form>
        <div id="update-state" data-state="{{update_state}}" data-poll="/update/progress">
        {{#update_running}}<p><progress id="update-progress"{{#update_fraction}} value="{{update_fraction}}" max="1"{{/update_fraction}}></progress></p><p id="update-now" role="status">{{update_now}}</p>
        <noscript><p><a href="/sync">{{t.app_sync_refresh}}</a></p></noscript>{{/update_running}}
        {{#update_summary}}<p class="ok" id="update-summary" role="status">{{update_summary}}</p>{{/update_summary}}
        {{#update_failure}}<p class="error" id="update-failure" role="alert">{{update_failure}}</p>{{/update_failure}}</div>{{/body}}{{/layout}}
        """

    static let unlock = """
        {{<layout}}{{$body}}<div class="box"><h1>{{t.app_unlock_heading}}</h1><p class="muted">{{t.app_unlock_hint}}</p>
        {{#error}}<p class="error" id="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/unlock"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="passphrase">{{t.app_passphrase}}<input name="passphrase" id="passphrase" type="password" autocomplete="current-password" required autofocus maxlength="200"></label>
        <button id="unlock">{{t.app_unlock}}</button></form></div>{{/body}}{{/layout}}
        """

    static let sessions = """
        {{<layout}}{{$body}}<h1>{{t.app_nav_sessions}}</h1><p class="toolbar"><a class="button" href="/sessions/new" id="new-session">{{t.app_session_new}}</a></p>
        {{^rows}}<p id="no-sessions">{{t.app_no_sessions}}</p>{{/rows}}{{#rows_any}}<table class="stack" id="sessions"><thead><tr><th>{{t.app_when}}</th><th>{{place_label}}</th><th>{{topic_label}}</th><th class="n">{{attendees_label}}</th></tr></thead><tbody>
        {{#rows}}<tr><td data-label="{{t.app_when}}">{{when}}</td><td data-label="{{place_label}}">{{place}}</td><td data-label="{{topic_label}}">{{topic}}</td><td class="n" data-label="{{attendees_label}}">{{attendees}}</td></tr>{{/rows}}
        </tbody></table>{{/rows_any}}{{/body}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$body}}<div class="box"><h1>{{heading}}</h1><p id="message">{{text}}</p>{{#link}}<p><a href="{{link}}" id="message-link">{{link_text}}</a></p>{{/link}}</div>{{/body}}{{/layout}}
        """

    static let confirm = """
        {{<layout}}{{$body}}<div class="box"><h1>{{heading}}</h1><p id="message">{{text}}</p>
        <form method="post" action="{{action}}" class="toolbar"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="confirm" value="1">
        <button class="danger" id="confirm" autofocus>{{button}}</button> <a href="{{back}}" id="cancel">{{t.app_cancel}}</a></form></div>{{/body}}{{/layout}}
        """

    static let closed = """
        {{<layout}}{{$body}}<div class="box"><h1>{{t.app_closed}}</h1><p>{{t.app_closed_hint}}</p></div>{{/body}}{{/layout}}
        """
}
