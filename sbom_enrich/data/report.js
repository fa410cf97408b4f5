(function(){
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  var controls = ['severity','kind','reach'].map(function(n){return document.getElementById('f-'+n);});
  var search = document.getElementById('f-text');
  function apply(){
    var text = search.value.toLowerCase();
    var shown = 0;
    rows.forEach(function(row){
      var ok = controls.every(function(c){return !c.value || row.dataset[c.id.slice(2)] === c.value;});
      ok = ok && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !ok;
      var detail = document.getElementById(row.id + '-detail');
      if (detail) { detail.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    document.getElementById('f-count').textContent = shown + ' shown';
  }
  controls.concat([search]).forEach(function(c){c.addEventListener('input', apply);});
  apply();
  document.body.dataset.ready = 'yes';
})();
