/// The stylesheet of every FieldSync page: the hub's console and the volunteer's app serve this one file
/// (`style.css`), so pages carry no inline style and their Content-Security-Policy needs no `unsafe-inline`.
public enum Stylesheet {
    /// The CSS.
    public static let css = """
        :root{--done:#2e7d32;--pending:#f9a825;--failed:#c62828;--bar:#1565c0;--ink:#1d2a33;--muted:#5b6b76;--line:#d9e2e8}
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#f6f8fa}
        header{background:#0d47a1;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
        header a{color:#fff;text-decoration:none;padding:.2rem .1rem}header a.on{border-bottom:2px solid #fff}
        header .who{margin-left:auto;font-size:.85rem;display:flex;gap:.6rem;align-items:center}
        main{max-width:1240px;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
        .muted{color:var(--muted);font-size:.9rem}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6rem}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}.card b{display:block;font-size:1.35rem}
        table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}
        th,td{padding:.4rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#eef3f6;font-size:.9rem}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.flag td{background:#fff4e5}
        form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.5rem 0}
        label{display:flex;flex-direction:column;font-size:.85rem;gap:.15rem}input,select,button{font:inherit;padding:.35rem .5rem}
        button{background:#0d47a1;color:#fff;border:0;border-radius:6px;cursor:pointer}button.plain{background:#eef3f6;color:var(--ink)}
        .box{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;max-width:460px}
        .box form{display:flex;flex-direction:column;gap:.6rem}.error{background:#fdecea;border:1px solid #f5c2c0;padding:.6rem;border-radius:6px}
        .code{font:700 1.6rem/1.2 ui-monospace,monospace;letter-spacing:.08em;background:#fff;border:2px dashed #0d47a1;padding:.6rem;display:inline-block}
        svg{width:100%;max-width:520px;height:auto;display:block}.legend span{margin-right:1rem;font-size:.85rem}
        .legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
        details summary{cursor:pointer}.inline{display:inline}section.conflict{margin:1rem 0}fieldset{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;background:#fff}label.choice{flex-direction:row;align-items:center;gap:.4rem;font-size:.95rem;flex-wrap:wrap}
        @media (max-width:640px){table.stack thead{display:none}table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
        table.stack tr{border-bottom:2px solid var(--line);padding:.3rem 0}table.stack td{border:0;display:flex;justify-content:space-between;gap:1rem;padding:.2rem .5rem;text-align:right}
        table.stack td::before{content:attr(data-label);font-weight:600;text-align:left;color:var(--muted)}main{padding:.6rem}}
        .legend i.c0{background:var(--done)}.legend i.c1{background:var(--pending)}.legend i.c2{background:var(--failed)}.legend i.c3{background:var(--bar)}
        .form{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:.7rem 1rem;background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;max-width:980px}
        .form .wide{grid-column:1/-1}.form textarea{font:inherit;padding:.35rem .5rem;min-height:3.2rem}.form .actions{grid-column:1/-1;display:flex;gap:.6rem;flex-wrap:wrap}
        .form label.invalid input,.form label.invalid select,.form label.invalid textarea{border:2px solid var(--failed)}.hint{color:var(--muted);font-size:.8rem}
        .field-error{color:var(--failed);font-size:.85rem;font-weight:600}.ok{background:#e8f5e9;border:1px solid #b9dfbd;padding:.6rem;border-radius:6px}
        .warn{background:#fff4e5;border:1px solid #f3d19e;padding:.6rem;border-radius:6px}progress{width:100%;max-width:520px;height:1.1rem}
        .toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.4rem 0}.toolbar form{display:inline}a.button{display:inline-block;background:#0d47a1;color:#fff;border-radius:6px;padding:.35rem .7rem;text-decoration:none}
        button.danger{background:var(--failed)}header nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem}td .muted{display:block}
        input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #ffb300;outline-offset:1px}
        """

    /// A short fingerprint of the CSS, added to its address so a browser never keeps an old copy.
    public static let version = PageHeaders.fingerprint(css)
}
