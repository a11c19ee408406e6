// The installed package from CommonJS in Node: `require`, synchronous, ready at once.
const api = require('ipt-engine');

import('./page/checks.js').then(({ checks }) => console.log(checks(api)));
