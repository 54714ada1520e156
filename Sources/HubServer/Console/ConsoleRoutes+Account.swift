import Foundation
import HubCore
import HubSQLite
import Hummingbird
import Localization
import SyncCore
import SyncProtocol

extension ConsoleRoutes {
    func signInPage(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        if (try? await signedIn(context)) != nil {  // Losing the error is safe: a failure only means "show the form".
            return Response.redirect(to: "/console/overview", type: .normal)
        }
        return page("sign-in", [:], request: request, signedIn: nil)
    }

    /// Signs a coordinator in: at most `enrollFailures` tries per address in the window (each counted before its
    /// passphrase is checked, so parallel tries cannot all pass; a success gives its count back), then 429.
    func signIn(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let address = ClientAddress.of(request, context, trusted: limits.trustedProxies)
        let form = try await ConsoleForm(request, context, limits: limits)
        if let wait = throttle.reserve(address, now: service.clock.now()) { throw ConsoleError.tooManyAttempts(seconds: wait) }
        let login = String((form.text("login") ?? "").lowercased().prefix(64))
        let passphrase = String((form["passphrase"] ?? "").prefix(200))
        let account = try await service.consoleLogin(login)
        let matches = try await PassphraseHasher.verify(passphrase, hash: account?.passphraseHash ?? PassphraseHasher.decoy)
        guard let account, matches, account.device.revokedAt == nil, account.device.role == .coordinator else {
            context.logger.notice("console sign-in refused", metadata: ["address": "\(address)"])
            let t = Catalogue(request: request)
            return page("sign-in", ["error": ConsoleError.signInFailed.text(t)], request: request, signedIn: nil, status: .unauthorized)
        }
        throttle.release(address)
        context.sessions.createSession(ConsoleSession(login: account.login))
        try await service.appendAudit([AuditDraft(actor: account.device.id, action: .signIn, scope: account.device.scopeText,
                                                  detail: ["login": account.login, "address": address])])
        context.logger.info("console sign-in", metadata: ["login": "\(account.login)", "device": "\(account.device.id)"])
        return Response.redirect(to: "/console/overview", type: .normal)
    }

    /// Redeems a coordinator's enrolment code in the browser: a new coordinator device with a login and
    /// a passphrase (stored only as a bcrypt hash), then signs in.
    func join(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let address = ClientAddress.of(request, context, trusted: limits.trustedProxies)
        let form = try await ConsoleForm(request, context, limits: limits)
        let t = Catalogue(request: request)
        func refuse(_ text: String, status: HTTPResponse.Status = .badRequest) -> Response {
            page("join", ["error": text], request: request, signedIn: nil, status: status)
        }
        let login = (form.text("login") ?? "").lowercased()
        guard (3...64).contains(login.count), login.unicodeScalars.allSatisfy({ Self.loginCharacters.contains($0) }) else {
            return refuse(ConsoleError.loginInvalid.text(t))
        }
        let passphrase = form["passphrase"] ?? ""
        guard passphrase.count >= 12, passphrase.utf8.count <= 200 else { return refuse(ConsoleError.passphraseTooShort.text(t)) }
        guard passphrase == form["again"] else { return refuse(ConsoleError.passphrasesDiffer.text(t)) }
        if try await service.consoleLogin(login) != nil {
            return refuse(ConsoleError.loginTaken.text(t))
        }
        // A code is counted before it is looked up (parallel guesses cannot all be tried); a right one gives it back.
        if let wait = throttle.reserve(address, now: service.clock.now()) { throw ConsoleError.tooManyAttempts(seconds: wait) }
        // The passphrase is hashed before the one-time code is spent: a hub too busy to hash it answers 429 and the
        // code still works a moment later.
        let hash: String
        do {
            hash = try await PassphraseHasher.hash(passphrase)
        } catch {
            throttle.release(address)
            throw error
        }
        let response: EnrollResponse
        do {
            response = try await service.enroll(EnrollRequest(code: form.text("code") ?? "", replica: ReplicaID.random(), volunteer: login))
        } catch let error as HubError {
            if case .invalidEnrollmentCode = error {} else { throttle.release(address) }
            return refuse(ConsoleError.text(error, t), status: HTTPResponse.Status(code: error.code.status))
        }
        throttle.release(address)
        guard response.role == .coordinator else {
            // A volunteer's code was spent here by mistake: its device can do nothing, so it goes at once.
            try await service.revoke(device: response.device)
            return refuse(ConsoleError.notACoordinatorCode.text(t))
        }
        do {
            try await service.setConsoleLogin(device: response.device, login: login, passphraseHash: hash)
        } catch HubError.invalidRequest(let message) where message == ConsoleLogin.takenMessage {
            // Another browser took the login in the meantime: this device can never sign in.
            try await service.revoke(device: response.device)
            return refuse(ConsoleError.loginTaken.text(t))
        }
        context.sessions.createSession(ConsoleSession(login: login))
        context.logger.info("console account created", metadata: ["login": "\(login)", "device": "\(response.device)"])
        return Response.redirect(to: "/console/overview", type: .normal)
    }

    func signOut(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        context.sessions.clearSession()
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .signOut, scope: who.device.scopeText,
                                                  detail: ["login": who.session.login])])
        return Response.redirect(to: "/console/sign-in", type: .normal)
    }

    static let loginCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")
}
