// Staff pages that log in themselves (projector, dashboard): the access token is kept in
// this browser; a missing or refused one brings up the page's #login form. Set
// STAFF.page (the element shown once logged in) and STAFF.start (run after logging in).
var STAFF = {
  page: null,
  start: null,
  token: function () { return localStorage.getItem("oc.staff"); },
  call: async function (path) {
    var r = await fetch(path, {headers: {Authorization: "Bearer " + STAFF.token()}});
    if (r.status === 401) { localStorage.removeItem("oc.staff"); STAFF.ask(); throw new Error("login"); }
    return r;
  },
  ask: function () {
    document.getElementById(STAFF.page).hidden = true;
    var form = document.getElementById("login");
    form.hidden = false;
    form.onsubmit = async function (e) {
      e.preventDefault();
      var r = await fetch("/api/v1/auth/token", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({username: form.username.value, password: form.password.value})});
      var body = await r.json();
      if (!r.ok) { document.getElementById("error").textContent = "账号或密码不正确"; return; }
      localStorage.setItem("oc.staff", body.access_token);
      form.hidden = true;
      STAFF.start();
    };
  },
};
