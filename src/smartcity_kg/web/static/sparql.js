/* The SPARQL editor page: YASGUI with one tab per named query (its example parameters
   bound), the project's prefixes preset in a new tab, and results from this server's own
   endpoint. Settings come from the page's #yasgui-config. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("yasgui-config").textContent);
  /* Class and property completion would ask a remote vocabulary service: keep only the
     completers that need no network. */
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.value = config.blank;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    autoAddOnInit: false,
    persistenceId: null,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: config.endpoint }];
      }
    }
  });
  var chosen = null;
  config.tabs.forEach(function (named, index) {
    var tab = yasgui.addTab(index === 0, {
      name: named.name,
      yasqe: { value: named.query },
      requestConfig: { endpoint: config.endpoint, method: "POST" }
    });
    if (named.name === config.open) {
      chosen = tab;
    }
  });
  if (chosen !== null) {
    yasgui.selectTabId(chosen.getId());
  }
})();
