"""How cases tells the 安全审计员 something: a hook records fills in its AppConfig.ready() with a
notice to every auditor (cases cannot import records' notices). Each callable is called with
key= (the notice's uniqueness key: a second call with the same key sends nothing), title=, body=, link=."""

from cases.hooks import Hook

auditor_alerts = Hook("auditor_alerts")
