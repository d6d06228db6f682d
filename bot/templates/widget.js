/* shopdesk chat widget: the embed script a shop pastes into its pages.
 *
 *   <script src="https://HUB/widget.js"></script>
 *   <script>ShopdeskWidget.init({language: "fr"})</script>
 *
 * Options: language ("fr" or "en", the page's), and optionally title,
 * subtitle and color (the header and the customer's bubbles).
 *
 * It loads rasa-webchat from the same hub and points it at the hub's
 * socket.io server, which relays to the shop's bot and agents. */
(function () {
  "use strict";
  // Only known while this script runs: where the hub is, whatever page embeds us.
  var script = document.currentScript;
  var hub = new URL(script ? script.src : "/widget.js", window.location.href).origin;
  var TEXTS = {{ texts | tojson }};
  var DEFAULT_COLOR = "#2f6b4f";  // the demo shop's green; init({color}) for another
  var started = false;

  function loadWebChat(done) {
    if (window.WebChat) {
      done();
      return;
    }
    var tag = document.createElement("script");
    tag.src = hub + "/vendor/rasa-webchat.js";
    tag.async = true;
    tag.onload = done;
    document.head.appendChild(tag);
  }

  function init(options) {
    options = options || {};
    if (started) return;  // two init calls would open two widgets
    started = true;
    var language = TEXTS[options.language] ? options.language : "fr";
    var words = TEXTS[language];
    loadWebChat(function () {
      window.WebChat.default({
        socketUrl: hub,
        socketPath: "/socket.io/",
        customData: {language: language},
        params: {storage: "local"},  // the conversation survives reloads
        title: options.title || words.title,
        subtitle: options.subtitle || words.subtitle,
        inputTextFieldHint: words.hint,
        connectingText: words.connecting,
        initPayload: null,
        customMessageDelay: function () { return 200; },
        hideWhenNotConnected: false,
        mainColor: options.color || DEFAULT_COLOR,
        userBackgroundColor: options.color || DEFAULT_COLOR,
      }, null);
    });
  }

  window.ShopdeskWidget = {init: init};
})();
