// Stands in for @napi-rs/keyring inside the single executable, which cannot `require` a package:
// the native addon ships beside the executable as keyring.node and is loaded with process.dlopen.
'use strict';
const path = require('node:path');

const addon = { exports: {} };
process.dlopen(addon, path.join(path.dirname(process.execPath), 'keyring.node'));
module.exports = addon.exports;
