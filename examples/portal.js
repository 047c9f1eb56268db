// The portal reacts to Trustfill's events: each one is listed under "Recent activity".
const list = document.getElementById('portal-events');
for (const name of ['trustfill:ready', 'trustfill:exported', 'trustfill:session-changed']) {
  document.addEventListener(name, (event) => {
    const item = document.createElement('li');
    item.dataset.event = name;
    item.textContent = `${name} ${JSON.stringify(event.detail)}`;
    list.prepend(item);
  });
}
