"""The Slack glue: the Bolt app, its listeners, the request gate and the server. The only part of
pqbot that imports slack_bolt; each listener is a few lines over a function of bot.compose."""
