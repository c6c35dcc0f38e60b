// edge-runtime's entry: a script that answers fetch events (its server API's model), around app.js.
/* global addEventListener */
import app from './app.js'

addEventListener('fetch', (event) => {
  event.respondWith(app.fetch(event.request))
})
